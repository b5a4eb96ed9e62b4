import { affine, denseLayer, type DenseLayer } from '@relurec/network';
import { pseudoInverse, solveLeastSquares } from '@relurec/linalg';
import { fitOutputLayer } from '../output/fitOutputLayer.js';
import { columnTrials } from './internal/columnTrials.js';

export interface UnseenWeight {
  /** Neuron of the last hidden layer (0-based). */
  neuron: number;
  /** Input from the previous layer (0-based). */
  input: number;
}

/** A direction in (row, bias) space of a last-layer neuron that its boundary points pin only weakly. */
export interface WeakDirection {
  neuron: number;
  /** n_(L-1) row entries, then the bias. */
  direction: Float64Array;
  /**
   * The boundary points (inputs) its row was solved from. With them the step along `direction`
   * weighs what the points say against what the function values say, each by its variance.
   */
  points?: Float64Array[];
}

export interface FilledWeights {
  layer: DenseLayer;
  /** Weights the samples do not constrain (left at 0 and to be reported). */
  undetermined: UnseenWeight[];
  /**
   * Weights the samples constrain only together with others (their columns in the fit are linear
   * combinations of the rest there): the fill's values fit, other values fit as well. Each with the
   * unseen weights its column leans on. To be reported.
   */
  confounded: { weight: UnseenWeight; with: UnseenWeight[] }[];
  /** The output fit's relative residual (max) before (RMS objective) and after (max). */
  before: number;
  after: number;
}

/**
 * Last resort of ALGORITHM.md section 4 ('fill a weight from function values only ... with all
 * others known, signs included'): weights of the LAST hidden layer that its boundary never showed,
 * fitted one at a time (cyclic) to the cached samples. For each trial value the output layer is
 * fitted by least squares on [h^L, 1] and its residual is the objective; it is
 * zero (to rounding) at the true weight. A scan over +-`range` brackets the minimum, then golden
 * section search refines it. Trials reuse the activations below the last hidden layer and solve
 * normal equations updated in the one changed feature column (columnTrials: O(samples x nL) a
 * trial, about cond x 1e-16 from the exact residual); the Gauss-Newton steps, the 'undetermined'
 * test and `after` are exact least squares. No queries. `rounds` = 0 skips the scan: Gauss-Newton
 * steps from the weights as given (when they are already close, e.g. a first fill's). `weak`:
 * directions of (row, bias) that a neuron's boundary points pin only weakly, refined by the same
 * Gauss-Newton steps (never scanned: the points put the neuron close).
 */
export function fillUnseenWeights(known: readonly DenseLayer[], unseen: UnseenWeight[], xs: Float64Array[], ys: Float64Array[], range = 4, rounds = 8, weak: readonly WeakDirection[] = []): FilledWeights {
  const L = known.length, top = known[L - 1];
  const n = top.inDim, rows = xs.length;
  const W = Float64Array.from(top.weights), b = Float64Array.from(top.biases);
  // The layers below the last hidden one do not change here: their activations are computed once.
  const H = activationsBelow(known, xs);
  const objective = () => lastLayerResidual(H, rows, n, W, b, ys);
  const before = objective();
  const trials = columnTrials(H, rows, n, W, b, ys);
  // Cyclic rounds only matter when weights interact: one weight's scan would repeat itself.
  for (let r = 0; r < (unseen.length > 1 ? rounds : Math.min(rounds, 1)); r++) {
    for (const { neuron, input } of unseen) {
      const at = neuron * n + input;
      // Normal equations: the residual to about cond x 1e-16, enough to bracket; polish below is exact.
      const f = (v: number) => trials.residual(neuron, input, v);
      const scan = 80;
      let bestV = W[at], bestF = f(W[at]);
      for (let s = 0; s <= scan; s++) {
        const v = -range + (2 * range * s) / scan;
        const fv = f(v);
        if (fv < bestF) { bestF = fv; bestV = v; }
      }
      let lo = bestV - (2 * range) / scan, hi = bestV + (2 * range) / scan;
      const phi = (Math.sqrt(5) - 1) / 2;
      let x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = f(x1), f2 = f(x2);
      for (let it = 0; it < 90 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
        if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = f(x1); } else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = f(x2); }
      }
      const v = f1 < f2 ? x1 : x2;
      trials.commit(neuron, input, Math.min(f1, f2) <= bestF ? v : bestV);
    }
  }
  polish(H, rows, n, W, b, unseen, weak.map((w) => ({ ...w, H: w.points && w.points.length > n + 1 ? activationsBelow(known, w.points) : undefined })), ys);
  // A weight the samples cannot see (moving it by 0.1 changes nothing) is not invented: back to 0.
  // Exact least squares here: the 1e-9 threshold is near the normal equations' floor when the
  // features are badly conditioned, and these are only 1 + 2 x unseen solves.
  const base = objective();
  const undetermined = unseen.filter(({ neuron, input }) => {
    const at = neuron * n + input, v = W[at];
    W[at] = v + 0.1;
    const up = objective();
    W[at] = v - 0.1;
    const down = objective();
    W[at] = v;
    const blind = Math.min(up, down) - base < 1e-9;
    if (blind) W[at] = 0;
    return blind;
  });
  const layer = denseLayer(n, top.outDim, W, b);
  const confounded = confoundedWeights(H, rows, n, W, b, unseen.filter((u) => !undetermined.includes(u)));
  return { layer, undetermined, confounded, before, after: fitOutputLayer([...known.slice(0, L - 1), layer], xs, ys).relativeResidual };
}

/**
 * Unseen weights whose column in the fit's design [h^L, h_j 1{z on} per unseen (z, j), 1] lies in
 * the span of the other columns on the samples (relative residual under 1e-6): the samples give
 * only a combination of it with others. Two neurons on at every sample with unseen weights from one
 * input have the same column: 10-20-20-20-1 rk 2, another path, layer-3 neurons 19 and 20 from input
 * 1, their rows 0.14 and 0.36 off while the samples fit to 1e-13; each moved alone changes the fit, so
 * the one-at-a-time test above passes them. Exact least squares, one solve per weight.
 */
function confoundedWeights(H: Float64Array, rows: number, n: number, W: Float64Array, b: Float64Array, unseen: UnseenWeight[]): { weight: UnseenWeight; with: UnseenWeight[] }[] {
  if (unseen.length === 0) return [];
  const nL = b.length, { F, cols } = designMatrix(H, rows, n, W, b, unseen, []);
  const out: { weight: UnseenWeight; with: UnseenWeight[] }[] = [];
  unseen.forEach((u, i) => {
    const c = nL + i, col = new Float64Array(rows), rest = new Float64Array(rows * (cols - 1));
    for (let r = 0; r < rows; r++) {
      col[r] = F[r * cols + c];
      for (let k = 0, q = 0; k < cols; k++) if (k !== c) rest[r * (cols - 1) + q++] = F[r * cols + k];
    }
    const norm = Math.hypot(...col);
    if (!(norm > 0)) return;
    const { x, residual } = solveLeastSquares(rest, rows, cols - 1, col, 1e-13);
    if (!(residual < 1e-6 * norm)) return;
    // The other unseen weights it leans on (coefficients in the combination above 1e-3).
    const others = unseen.filter((_, k) => k !== i && Math.abs(x[nL + (k < i ? k : k - 1)]) > 1e-3);
    out.push({ weight: u, with: others });
  });
  return out;
}

/**
 * The fit's design on the samples, row-major rows x cols: [h^L, h_j 1{z on} per unseen (z, j),
 * (direction . [h, 1]) 1{z on} per weak direction, 1], at the last hidden layer (W, b).
 */
function designMatrix(H: Float64Array, rows: number, n: number, W: Float64Array, b: Float64Array, unseen: readonly UnseenWeight[], weak: readonly WeakDirection[]): { F: Float64Array; cols: number } {
  const nL = b.length, nU = unseen.length, cols = nL + nU + weak.length + 1;
  const F = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const h = H.subarray(r * n, (r + 1) * n);
    for (let z = 0; z < nL; z++) {
      let v = b[z];
      for (let j = 0; j < n; j++) v += W[z * n + j] * h[j];
      F[r * cols + z] = v > 0 ? v : 0;
    }
    unseen.forEach((u, i) => (F[r * cols + nL + i] = F[r * cols + u.neuron] > 0 ? h[u.input] : 0));
    weak.forEach((w, i) => {
      let v = w.direction[n];
      for (let j = 0; j < n; j++) v += w.direction[j] * h[j];
      F[r * cols + nL + nU + i] = F[r * cols + w.neuron] > 0 ? v : 0;
    });
    F[r * cols + cols - 1] = 1;
  }
  return { F, cols };
}

/** Activations of layer L-1 (the last hidden layer's inputs) on the samples, row-major rows x n; the inputs when L = 1. */
function activationsBelow(known: readonly DenseLayer[], xs: Float64Array[]): Float64Array {
  const rows = xs.length, n0 = known[0].inDim;
  let H: Float64Array = new Float64Array(rows * n0);
  xs.forEach((x, r) => H.set(x, r * n0));
  for (const layer of known.slice(0, known.length - 1)) H = affine(layer, H, rows, true);
  return H;
}

/**
 * fitOutputLayer's rmsResidual (exact least squares on [h^L, 1], RMS relative to the largest |y|)
 * for the last hidden layer (W, b) on the activations H below it.
 */
function lastLayerResidual(H: Float64Array, rows: number, n: number, W: Float64Array, b: Float64Array, ys: Float64Array[]): number {
  const nL = b.length, cols = nL + 1, m = ys[0].length;
  const F = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let z = 0; z < nL; z++) {
      let v = b[z];
      for (let j = 0; j < n; j++) v += W[z * n + j] * H[r * n + j];
      F[r * cols + z] = v > 0 ? v : 0;
    }
    F[r * cols + nL] = 1;
  }
  let sq = 0, scale = 0;
  for (let o = 0; o < m; o++) {
    const y = Float64Array.from(ys, (v) => v[o]);
    const { residual } = solveLeastSquares(F, rows, cols, y, 1e-13);
    sq += residual * residual;
    for (let r = 0; r < rows; r++) scale = Math.max(scale, Math.abs(y[r]));
  }
  return Math.sqrt(sq / (rows * m)) / Math.max(scale, 1e-300);
}

/**
 * Gauss-Newton steps, exact for the bilinear structure: where z is active, U_z ReLU(zeta_z) =
 * U_z zeta_z(theta) + sum_j U_z dtheta_j h_j, so fitting [h^L, h_j 1{z active} per unseen (z, j), 1]
 * gives U_z dtheta_j directly. The scan only has to land in the right activation pattern.
 */
function polish(H: Float64Array, rows: number, n: number, W: Float64Array, b: Float64Array, unseen: UnseenWeight[], allWeak: readonly (WeakDirection & { H?: Float64Array })[], ys: Float64Array[], steps = 4): void {
  const nL = b.length, m = ys[0].length, nU = unseen.length;
  // Weak directions whose function-value step the neuron's points contradict leave the fit, their
  // rows the points' (kept in while one is held, they take its misfit over).
  let weak = allWeak;
  for (let step = 0; step < steps; step++) {
    const { F, cols } = designMatrix(H, rows, n, W, b, unseen, weak);
    const solved = Array.from({ length: m }, (_, o) => solveLeastSquares(F, rows, cols, Float64Array.from(ys, (y) => y[o]), 1e-13));
    const fits = solved.map((f) => f.x);
    // The output with the largest weight on each neuron gives the cleanest ratio.
    const strongest = (z: number) => fits.reduce((a, _, k) => (Math.abs(fits[k][z]) > Math.abs(fits[a][z]) ? k : a), 0);
    // Variances of the weak coefficients (sigma^2 (F^T F)^-1 diagonal), only where points compete.
    const pinv = weak.some((w) => w.H) && rows > cols ? pseudoInverse(F, rows, cols) : undefined;
    const proposals = weak.map((w, i) => {
      const o = strongest(w.neuron), Uz = fits[o][w.neuron];
      if (!(Math.abs(Uz) > 0)) return 0;
      const d = fits[o][nL + nU + i] / Uz;
      const pts = w.H && pinv ? pointsAlong(w.H, n, W.subarray(w.neuron * n, (w.neuron + 1) * n), b[w.neuron], w.direction) : undefined;
      if (!pts) return d;
      let pp = 0;
      for (let r = 0; r < rows; r++) pp += pinv![(nL + nU + i) * rows + r] ** 2;
      // Each side weighted by its own spread (20-30-30-20-1 rk 1, a layer-3 neuron active on few
      // samples: function values 2.3e-9 +- 4.4e-9 along the direction, the points 1.6e-11 +- 4e-11;
      // the function values alone left the row 2.3e-9 off). Where the two disagree beyond their
      // spreads the points decide: they measure the boundary itself, the function values also carry
      // every other row's error.
      const varF = ((solved[o].residual ** 2) / (rows - cols)) * pp / (Uz * Uz);
      if (!Number.isFinite(varF)) return d;
      if ((d - pts.step) ** 2 > 9 * (varF + pts.variance)) return undefined;
      return pts.variance === 0 ? pts.step : varF === 0 ? d : (pts.step / pts.variance + d / varF) / (1 / pts.variance + 1 / varF);
    });
    if (proposals.some((d) => d === undefined)) {
      weak = weak.filter((_, i) => proposals[i] !== undefined);
      step--;
      continue;
    }
    let moved = 0;
    unseen.forEach((u, i) => {
      const Uz = fits[strongest(u.neuron)][u.neuron];
      if (!(Math.abs(Uz) > 0)) return;
      const d = fits[strongest(u.neuron)][nL + i] / Uz;
      W[u.neuron * n + u.input] += d;
      moved = Math.max(moved, Math.abs(d));
    });
    weak.forEach((w, i) => {
      const d = proposals[i]!;
      for (let j = 0; j < n; j++) W[w.neuron * n + j] += d * w.direction[j];
      b[w.neuron] += d * w.direction[n];
      moved = Math.max(moved, Math.abs(d));
    });
    if (moved < 1e-15) break;
  }
}

/**
 * What a neuron's boundary points say of a step along `direction` from (row, bias): each point p
 * gives a_p + d g_p = 0 (a_p = row . h_p + bias, g_p = direction . [h_p, 1]); the least-squares step
 * and its variance (the points' scatter about their own fit, n + 1 unknowns). Undefined when the
 * points do not see the direction.
 */
function pointsAlong(H: Float64Array, n: number, row: ArrayLike<number>, bias: number, direction: Float64Array): { step: number; variance: number } | undefined {
  const count = H.length / n;
  const a = new Float64Array(count), g = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let av = bias, gv = direction[n];
    for (let j = 0; j < n; j++) {
      av += row[j] * H[p * n + j];
      gv += direction[j] * H[p * n + j];
    }
    a[p] = av;
    g[p] = gv;
  }
  let gg = 0, ag = 0;
  for (let p = 0; p < count; p++) {
    gg += g[p] * g[p];
    ag += a[p] * g[p];
  }
  if (!(gg > 0) || count <= n + 1) return undefined;
  const step = -ag / gg;
  let ss = 0;
  for (let p = 0; p < count; p++) ss += (a[p] + step * g[p]) ** 2;
  return { step, variance: ss / (count - n - 1) / gg };
}
