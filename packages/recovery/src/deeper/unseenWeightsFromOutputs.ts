import { denseLayer, forward, type DenseLayer } from '@relurec/network';
import { solveLeastSquares } from '@relurec/linalg';

/** A weight of a hidden layer's row: row `neuron` of hidden layer `layer` (1-based), column `input`. */
export interface HiddenWeight {
  layer: number;
  neuron: number;
  input: number;
}

export interface WeightsFromOutputsFit {
  /** The layers with the acting weights fitted (the others as given). */
  layers: DenseLayer[];
  /** Per weight, in the order given: its fitted value (the given one where it does not act). */
  weights: number[];
  /** Per weight: whether the output at some point moves with it. */
  acting: boolean[];
  /**
   * Per weight: acting, yet at the fitted weights its column (the outputs' derivatives over the
   * points) lies within 1e-6 of its norm in the span of the other acting columns: the points give it
   * only in combination with others, and its fitted value is one of many.
   */
  undetermined: boolean[];
  /** Largest |y - y^| / scale over the points, before and after. */
  before: number;
  after: number;
  iterations: number;
}

/**
 * Weights of hidden rows that no boundary showed (ALGORITHM.md section 4, 'weights the boundary
 * cannot show'), from the black box's outputs `ys` at points `xs` where they act: a neuron z that is
 * on wherever its input i is (a narrow-cone i) never has its boundary where i acts, yet c_zi moves
 * every deeper layer there; a last-layer z on only far out, where i is mostly off, likewise. `layers` is the whole model (hidden layers and the output
 * layer); the model's output is piecewise linear in the weights, so Gauss-Newton steps with
 * derivatives by differences (exact on a piece) land on the weights once the states settle.
 * A step is kept only while the largest misfit falls. Weights the output does not move at any point
 * are left as given (`acting` false).
 */
export function unseenWeightsFromOutputs(layers: readonly DenseLayer[], pairs: readonly HiddenWeight[], xs: readonly Float64Array[], ys: readonly Float64Array[], options: { scale: number; iterations?: number }): WeightsFromOutputsFit {
  if (xs.length !== ys.length) throw new RangeError(`unseenWeightsFromOutputs: ${xs.length} points but ${ys.length} outputs`);
  for (const p of pairs) {
    if (!(p.layer >= 1 && p.layer < layers.length)) throw new RangeError(`unseenWeightsFromOutputs: layer ${p.layer} is not a hidden layer of ${layers.length - 1}`);
    const l = layers[p.layer - 1];
    if (!(p.neuron >= 0 && p.neuron < l.outDim && p.input >= 0 && p.input < l.inDim)) throw new RangeError(`unseenWeightsFromOutputs: no weight (${p.neuron}, ${p.input}) in layer ${p.layer}`);
  }
  const rows = xs.length, n0 = layers[0].inDim, m = layers[layers.length - 1].outDim;
  const X = new Float64Array(rows * n0);
  xs.forEach((x, r) => X.set(x, r * n0));
  const with_ = (w: readonly number[]) => {
    const out = [...layers];
    pairs.forEach((p, k) => {
      const l = out[p.layer - 1], W = Float64Array.from(l.weights);
      W[p.neuron * l.inDim + p.input] = w[k];
      out[p.layer - 1] = denseLayer(l.inDim, l.outDim, W, l.biases);
    });
    return out;
  };
  const outputs = (w: readonly number[]) => forward({ name: 'fit', meta: {}, layers: with_(w) }, X, rows);
  const misfit = (F: Float64Array) => {
    let worst = 0;
    ys.forEach((y, r) => y.forEach((v, o) => (worst = Math.max(worst, Math.abs(v - F[r * m + o])))));
    return worst / options.scale;
  };
  let w = pairs.map((p) => layers[p.layer - 1].weights[p.neuron * layers[p.layer - 1].inDim + p.input]);
  let F = outputs(w);
  const before = misfit(F);
  let now = before, iterations = 0;
  const acting = pairs.map(() => false);
  for (; iterations < (options.iterations ?? 8) && now > 0; iterations++) {
    // Columns by differences: on one piece the output is affine in each weight.
    const cols = pairs.map((_, k) => columnByDifference(k, w, F, outputs));
    cols.forEach((c, k) => (acting[k] ||= c.some((v) => Math.abs(v) > 1e-9)));
    const use = pairs.map((_, k) => k).filter((k) => acting[k]);
    if (use.length === 0) break;
    const A = new Float64Array(rows * m * use.length), b = new Float64Array(rows * m);
    for (let i = 0; i < rows * m; i++) {
      b[i] = ys[Math.floor(i / m)][i % m] - F[i];
      use.forEach((k, c) => (A[i * use.length + c] = cols[k][i]));
    }
    const step = solveLeastSquares(A, rows * m, use.length, b).x;
    const next = [...w];
    use.forEach((k, c) => (next[k] += step[c]));
    const G = outputs(next), after = misfit(G);
    if (!(after < now)) break;
    [w, F, now] = [next, G, after];
  }
  return { layers: with_(w), weights: w, acting, undetermined: dependentColumns(pairs.map((_, k) => k).filter((k) => acting[k]), w, F, outputs, pairs.length), before, after: now, iterations };
}

/** The outputs' derivatives over the points in weight k at w (outputs F there), by a difference. */
function columnByDifference(k: number, w: readonly number[], F: Float64Array, outputs: (w: readonly number[]) => Float64Array): Float64Array {
  const d = 1e-7 * Math.max(1, Math.abs(w[k]));
  const G = outputs(w.map((v, q) => (q === k ? v + d : v)));
  return Float64Array.from(G, (g, i) => (g - F[i]) / d);
}

/** Per weight (of `count`): among `use`, whether its column at w is within 1e-6 (relative) of the span of the others. */
function dependentColumns(use: number[], w: readonly number[], F: Float64Array, outputs: (w: readonly number[]) => Float64Array, count: number): boolean[] {
  const out = Array.from({ length: count }, () => false);
  if (use.length < 2) return out;
  const cols = use.map((k) => columnByDifference(k, w, F, outputs));
  const n = F.length;
  use.forEach((k, c) => {
    const others = cols.filter((_, q) => q !== c);
    const A = new Float64Array(n * others.length);
    for (let i = 0; i < n; i++) others.forEach((o, q) => (A[i * others.length + q] = o[i]));
    const own = Math.hypot(...cols[c]);
    if (own > 0 && solveLeastSquares(A, n, others.length, cols[c]).residual < 1e-6 * own) out[k] = true;
  });
  return out;
}
