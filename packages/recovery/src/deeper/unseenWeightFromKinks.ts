import type { DenseLayer } from '@relurec/network';
import { norm, normalize, subtract } from '@relurec/linalg';
import { localValues } from '../known/localState.js';

export interface UnseenWeightKinks {
  /** The input of the neuron whose weight the kinks show. */
  input: number;
  /** The weight each kink gives, their median (a first value; the pooled solve pins it). */
  weight: number;
  /** The kinks that agree on it (at least two). */
  points: Float64Array[];
}

/**
 * Section 4, weights the boundary cannot show: kinks near where neuron `z` of `layer` (over `below`,
 * signs fixed) would cross with its unseen weights at 0. On z's true boundary, where exactly one of
 * its unseen inputs i is active, z's known part plus c_zi h_i vanishes: each such kink gives
 * c_zi = -(row . h + b) / h_i. Kinks of other neurons give values that agree with nothing; those of
 * z agree to the precision of the kink positions. The largest group of kinks of one input whose
 * values agree within `agree` (absolute, rows at unit norm), at two or more levels of h_i and at
 * layer-below values that point different ways, is
 * returned (the pooled solve over z's own points then decides: a column needs two points). Pure.
 *
 * Why not the kink nearest the predicted boundary, traced (the path before): there a deeper
 * layer's kink is often nearer (10-15-15-15-15-1 rk 1: on all four segments of a weight the
 * nearest kink was a layer-4 neuron's, z's lay 0.1-0.2 segment lengths away).
 */
export function unseenWeightFromKinks(below: readonly DenseLayer[], layer: DenseLayer, z: number, unseen: readonly number[], kinks: readonly Float64Array[], agree = 1e-6): UnseenWeightKinks | undefined {
  const n = layer.inDim, row = layer.weights.subarray(z * n, (z + 1) * n), bias = layer.biases[z];
  const byInput = new Map<number, { weight: number; point: Float64Array; h: number; unit: Float64Array }[]>();
  for (const q of kinks) {
    const h = below.length > 0 ? localValues(below, q).activations[below.length - 1] : q;
    const on = unseen.filter((i) => h[i] > 0);
    if (on.length !== 1) continue;
    const i = on[0];
    // The row's own value at i (0, or a prior) left out: the weight is solved for, not corrected.
    let v = bias;
    for (let d = 0; d < n; d++) if (d !== i) v += row[d] * h[d];
    const list = byInput.get(i) ?? [];
    list.push({ weight: -v / h[i], point: q, h: h[i], unit: normalize(h) });
    byInput.set(i, list);
  }
  let best: UnseenWeightKinks | undefined;
  for (const [input, list] of byInput) {
    for (const a of list) {
      const group = list.filter((b) => Math.abs(b.weight - a.weight) <= agree);
      if (group.length < 2 || (best && group.length <= best.points.length)) continue;
      // Kinks at one level of h_i agree whatever neuron they are on: in a region where i is the only
      // input z has active, any boundary that is a level set of h_i gives them one value.
      const hs = group.map((g) => g.h);
      if (!(Math.max(...hs) - Math.min(...hs) > 1e-6 * Math.max(...hs))) continue;
      // Nor do kinks whose layer-below values point almost one way: two kinks close together on any
      // boundary give nearly one value (10-15-15-15-15-1 carlini 3: two kinks 1e-6 apart on another
      // neuron's boundary set a weight 0.36 off, and that neuron came on where it is off), and with
      // zero biases, where states are cones, any boundary through the origin gives a ray one value.
      if (!group.some((g) => group.some((o) => !parallel(g.unit, o.unit)))) continue;
      const ws = group.map((g) => g.weight).sort((x, y) => x - y);
      best = { input, weight: ws[Math.floor(ws.length / 2)], points: group.map((g) => g.point) };
    }
  }
  return best;
}

/**
 * Unit vectors within 1e-3 of each other. Kinks of another neuron that far apart give values apart
 * by ~1e-3 times how fast the value changes along its boundary, well clear of the 1e-6 agreement
 * unless that rate is tiny; closer kinks could agree by their closeness alone.
 */
function parallel(a: Float64Array, b: Float64Array): boolean {
  return norm(subtract(a, b)) <= 1e-3;
}
