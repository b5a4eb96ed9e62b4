import { hypot, minNormSolver, solveLeastSquares } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import type { Rng } from '@relurec/random';
import { localState } from './localState.js';

export interface RayProbeOptions {
  /** Probe points wanted (fewer come back when projections fail). Default 128. */
  count?: number;
  /** Distances walked along each flat, in sqrt(n0) domain scales; one is drawn per probe. Default [1, 3, 10]. */
  lengths?: number[];
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Newton steps of the projection onto a flat (exact in one for layer 1). Default 8. */
  newtonSteps?: number;
  /** Neurons whose zero sets define the flats: 'all' known layers, or only the 'last' one. Default 'all'. */
  neurons?: 'all' | 'last';
}

/**
 * Query-free choice of inputs where a neuron the known layers miss is most likely to show
 * (ALGORITHM.md section 7, rare neurons): points on the 1-dimensional flats (edges) of the known
 * boundary arrangement, walked out 1-10 sqrt(n0) domain scales from where the flat passes near a
 * random input. A missing neuron of the next layer has a pre-activation that is affine on every
 * region of the known layers, so its largest and smallest values (its rare active cone, or the rare
 * inactive side of an almost-always-active neuron) are reached at vertices and along edges of that
 * arrangement, not where N(0, I) puts its mass. Measured on the truth networks (ground truth only
 * through the test scripts): a layer-2 cone active on 0.05% of N(0, I) inputs is active on 6% of
 * these points; the inactive side of a neuron active on 99.999% shows on 9-15% of them.
 * Each flat is the common zero set of n0 - 1 known neurons (drawn at random), found by Newton
 * steps on the local affine forms (localState); for deeper known layers the flat bends, and the
 * walked point is projected back onto it. Probes whose projection does not converge (a neuron with
 * no gradient there) are skipped.
 */
export function rayProbePoints(known: readonly DenseLayer[], rng: Rng, options: RayProbeOptions = {}): Float64Array[] {
  if (known.length === 0) throw new RangeError('rayProbePoints needs at least one known layer');
  const count = options.count ?? 128, lengths = options.lengths ?? [1, 3, 10], scale = options.domainScale ?? 1;
  if (!(count >= 0) || lengths.length === 0 || lengths.some((l) => !(l > 0))) throw new RangeError('options.count must be >= 0 and options.lengths positive numbers');
  const n0 = known[0].inDim, steps = options.newtonSteps ?? 8;
  const pool: [number, number][] = [];
  known.forEach((l, li) => {
    if (options.neurons === 'last' && li !== known.length - 1) return;
    for (let j = 0; j < l.outDim; j++) pool.push([li, j]);
  });
  const pick = Math.min(n0 - 1, pool.length);
  const out: Float64Array[] = [];
  const solvers = new Map<string, Solver>();
  // Layer-1 gradients are the rows: their norms once, not at every Newton step (most of the
  // coordinator's time in a 784-input run's fresh check went to them).
  const rowNorms = Float64Array.from({ length: known[0].outDim }, (_, j) => hypot(known[0].weights.subarray(j * n0, (j + 1) * n0)));
  for (let tries = 0; out.length < count && tries < 3 * count; tries++) {
    const chosen: [number, number][] = [];
    const used = new Set<number>();
    while (chosen.length < pick) {
      const i = rng.nextInt(pool.length);
      if (used.has(i)) continue;
      used.add(i);
      chosen.push(pool[i]);
    }
    // The flat does not depend on the order: sorted, a layer-1 flat's solver is made once.
    chosen.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    const solve = solverFor(known, chosen, solvers);
    let x: Float64Array | undefined = project(known, chosen, rng.gaussianArray(n0).map((v) => v * scale), steps, scale, solve, rowNorms);
    if (!x) continue;
    const J = jacobian(known, chosen, x);
    if (!J) continue;
    // A random direction inside the flat (the null space of the chosen gradients).
    const u = rng.gaussianArray(n0);
    const Ju = new Float64Array(pick);
    for (let r = 0; r < pick; r++) for (let i = 0; i < n0; i++) Ju[r] -= J[r * n0 + i] * u[i];
    const du = solve(J, Ju);
    const d = u.map((v, i) => v + du[i]);
    const dn = hypot(d);
    if (!(dn > 0)) continue;
    const len = lengths[rng.nextInt(lengths.length)] * Math.sqrt(n0) * scale;
    const far = x.map((v, i) => v + (len * d[i]) / dn);
    x = known.length === 1 ? far : project(known, chosen, far, steps, scale, solve, rowNorms);
    if (x) out.push(x);
  }
  return out;
}

/** Rows d zeta / dx of the chosen neurons at x (row-major pick x n0); undefined when one is flat there. */
function jacobian(known: readonly DenseLayer[], chosen: [number, number][], x: Float64Array): Float64Array | undefined {
  const n0 = x.length, at = chosenState(known, chosen, x);
  const J = new Float64Array(chosen.length * n0);
  for (let r = 0; r < chosen.length; r++) {
    const g = at.grad(r);
    if (!g.some((v) => v !== 0)) return undefined;
    J.set(g, r * n0);
  }
  return J;
}

/**
 * Pre-activations and gradients of the chosen neurons at x. A flat of layer-1 neurons alone needs
 * only their rows: the same sums as localState's, in the same order (so the same bits), without
 * the whole forward pass and its copy of the weights (most of a 784-input fresh check's time).
 */
function chosenState(known: readonly DenseLayer[], chosen: [number, number][], x: Float64Array): { zeta: (r: number) => number; grad: (r: number) => Float64Array } {
  const n0 = x.length;
  if (chosen.every(([l]) => l === 0)) {
    const { weights: W, biases: b } = known[0];
    const z = chosen.map(([, j]) => {
      let s = b[j];
      for (let k = 0; k < n0; k++) s += W[j * n0 + k] * x[k];
      return s;
    });
    return { zeta: (r) => z[r], grad: (r) => W.subarray(chosen[r][1] * n0, (chosen[r][1] + 1) * n0) };
  }
  const st = localState(known, x);
  return { zeta: (r) => st.zetas[chosen[r][0]][chosen[r][1]], grad: (r) => st.grads[chosen[r][0]].subarray(chosen[r][1] * n0, (chosen[r][1] + 1) * n0) };
}

/** Newton projection of x onto the common zero set of the chosen neurons (local affine forms). */
function project(known: readonly DenseLayer[], chosen: [number, number][], x: Float64Array, steps: number, scale: number, solve: Solver, rowNorms: Float64Array): Float64Array | undefined {
  const n0 = x.length;
  for (let it = 0; it <= steps; it++) {
    const at = chosenState(known, chosen, x);
    const J = new Float64Array(chosen.length * n0), r = new Float64Array(chosen.length);
    let worst = 0;
    for (const [i, [l, j]] of chosen.entries()) {
      const g = at.grad(i);
      const gn = l === 0 ? rowNorms[j] : hypot(g);
      if (!(gn > 0)) return undefined;
      J.set(g, i * n0);
      const z = at.zeta(i);
      r[i] = -z;
      worst = Math.max(worst, Math.abs(z) / gn);
    }
    if (worst < 1e-9 * scale * Math.max(1, hypot(x) / scale)) return x;
    if (it === steps) break;
    const dx = solve(J, r);
    x = x.map((v, i) => v + dx[i]);
  }
  return undefined;
}

/** Minimum-norm solution of J d = r for the chosen neurons' gradient rows J (pick x n0). */
type Solver = (J: Float64Array, r: Float64Array) => Float64Array;

/**
 * Minimum-norm steps: through the Gram matrix (fast on wide inputs), the SVD when rows are
 * dependent. Layer-1 gradients are constant, so their factorisation is kept per chosen set.
 */
function solverFor(known: readonly DenseLayer[], chosen: [number, number][], cache: Map<string, Solver>): Solver {
  const fresh: Solver = (J, r) => {
    const rows = r.length, n0 = J.length / rows;
    return minNormSolver(J, rows, n0)?.(r) ?? solveLeastSquares(J, rows, n0, r, 1e-12).x;
  };
  if (!chosen.every(([l]) => l === 0)) return fresh;
  const key = chosen.map(([, j]) => j).join(',');
  let solver = cache.get(key);
  if (solver === undefined) {
    let factored: ((b: Float64Array) => Float64Array | undefined) | undefined | null = null;
    solver = (J, r) => {
      if (factored === null) factored = minNormSolver(J, r.length, J.length / r.length);
      return factored?.(r) ?? fresh(J, r);
    };
    cache.set(key, solver);
  }
  return solver;
}
