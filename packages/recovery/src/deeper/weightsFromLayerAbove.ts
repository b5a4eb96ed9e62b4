import { hypot, nullVector } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { localValues } from '../known/localState.js';

export interface LayerAboveEstimate {
  /** Corrections to the weights of neuron z from `inputs`, in the units of its row. */
  delta: Float64Array;
  /** How many layer-(j+1) rows gave an estimate. */
  rows: number;
  /** Largest disagreement of one row's estimate with the pooled one, in units of its own error. */
  worst: number;
}

/**
 * Weights of a layer-j neuron z that its own boundary never shows (`inputs`: layer-(j-1) neurons
 * never active there; e.g. taken from a sign stack, ~1e-10) corrected from the exact boundary
 * points of layer j+1. A layer-(j+1) neuron y's point q satisfies r_y . h^(j)(q) + b_y = 0 with the
 * true h_z; with z's weights off by delta, h_z is off by delta . h^(j-1)_inputs(q) wherever z is
 * active, so the point system [h^(j)(q), 1, 1{z on} h^(j-1)_inputs(q)] has the null vector
 * [r_y, b_y, r_yz delta]: each y whose points see those inputs with z on gives delta, pooled by
 * the inverse square of its error (closure over pinning and |r_yz|). `layers`: 1..j with layer j's
 * signs fixed. Undefined when no row sees them. Pure.
 */
export function weightsFromLayerAbove(layers: readonly DenseLayer[], z: number, inputs: readonly number[], abovePoints: readonly (readonly Float64Array[])[]): LayerAboveEstimate | undefined {
  const j = layers.length, nj = layers[j - 1].outDim, nI = inputs.length;
  const cols = nj + 1 + nI;
  const estimates: { delta: Float64Array; error: number }[] = [];
  for (const points of abovePoints) {
    if (points.length < cols + 2) continue;
    const A = new Float64Array(points.length * cols);
    points.forEach((q, p) => {
      const { activations } = localValues(layers, q);
      const h = activations[j - 1], below = activations[j - 2];
      A.set(h, p * cols);
      A[p * cols + nj] = 1;
      if (h[z] > 0) inputs.forEach((i, t) => (A[p * cols + nj + 1 + t] = below[i]));
    });
    // Columns zero on every point (neurons never active on y's boundary; inputs never active with
    // z on) carry nothing: dropped, as in the point systems of the search.
    const keep = Array.from({ length: cols }, (_, c) => c).filter((c) => points.some((_, p) => A[p * cols + c] !== 0));
    if (!keep.includes(z) || !inputs.some((_, t) => keep.includes(nj + 1 + t))) continue;
    const B = new Float64Array(points.length * keep.length);
    for (let p = 0; p < points.length; p++) keep.forEach((c, k) => (B[p * keep.length + k] = A[p * cols + c]));
    const { vector, singularValues: s } = nullVector(B, points.length, keep.length);
    const k = keep.length, smax = s[0];
    const closure = s[k - 1] / smax, pinning = s[k - 2] / smax;
    const vz = vector[keep.indexOf(z)] / hypot(vector);
    if (!(closure < 1e-11 && pinning > 1e-6 && Math.abs(vz) > 1e-3)) continue;
    const delta = new Float64Array(nI).fill(Number.NaN);
    inputs.forEach((_, t) => {
      const at = keep.indexOf(nj + 1 + t);
      if (at >= 0) delta[t] = vector[at] / vector[keep.indexOf(z)];
    });
    estimates.push({ delta, error: closure / (pinning * Math.abs(vz)) });
  }
  if (estimates.length === 0) return undefined;
  const delta = new Float64Array(nI);
  let worst = 0;
  for (let t = 0; t < nI; t++) {
    const seen = estimates.filter((e) => Number.isFinite(e.delta[t]));
    if (seen.length === 0) return undefined;
    let sw = 0, sv = 0;
    for (const e of seen) {
      sw += 1 / e.error ** 2;
      sv += e.delta[t] / e.error ** 2;
    }
    delta[t] = sv / sw;
    for (const e of seen) worst = Math.max(worst, Math.abs(e.delta[t] - delta[t]) / e.error);
  }
  return { delta, rows: estimates.length, worst };
}
