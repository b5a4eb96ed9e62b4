import type { DenseLayer } from '@relurec/network';
import type { MilpSolver } from './loadMilpSolver.js';

export interface JointInputOptions {
  /** The box searched: |x_d| <= halfWidth in every input coordinate. */
  readonly halfWidth: number;
  /** Neurons of the layer below z (besides i) that must be off as well. */
  readonly off?: readonly number[];
  /** Neurons of z's own layer (besides z) that must be off as well: where z acts without them. */
  readonly offAbove?: readonly number[];
  /** Seconds before the solver gives up (the verdict is then 'unknown'). Default 30. */
  readonly timeLimit?: number;
  /**
   * Relative gap at which the branch and bound may stop with the best point so far (HiGHS's
   * mip_rel_gap; default its 1e-4). A 'none' is a proof whatever the gap; a larger gap only stops
   * sooner once a point is found (for callers that need an input inside, not the deepest).
   */
  readonly gap?: number;
  /** Tighten the big-M bounds past the first layer by LP relaxations (default true; false for benchmarks). */
  readonly tighten?: boolean;
  /**
   * On z's boundary instead of inside it: zeta_z = 0, and the margin is i's (and the kept-off
   * neurons'). Where z's boundary passes with i on, a kink shows z's weight from i.
   */
  readonly onBoundary?: boolean;
  /**
   * The point found then moved to the centre of its piece (the activation pattern of the layers
   * below z at the solution): farthest in input space from every boundary of those layers and z's
   * (an LP), still on z's boundary when onBoundary. A short segment through it then crosses none
   * of them but z's. The margin reported is still z's and i's.
   */
  readonly awayFromOthers?: boolean;
}

/**
 * 'found': z and i are on together at `input` (checked by a float64 forward pass), `margin` the smaller
 * of their pre-activations there, each over its row's norm (onBoundary: z's is 0 there to the
 * solver's tolerance, the margin is i's). 'none': proved (to the solver's
 * tolerances) that no input of the box has both on: the largest such margin is at most `bound` <= 0.
 * 'unknown': the solver stopped first (time limit) or its point did not hold up in float64.
 */
export type JointInputVerdict =
  | { readonly kind: 'found'; readonly input: Float64Array; readonly margin: number }
  | { readonly kind: 'none'; readonly bound: number }
  | { readonly kind: 'unknown'; readonly reason: string };

const OPTIMAL = 7;
const INFEASIBLE = 8;

/**
 * Exact search of a ReLU network's activation regions: the input of the box deepest inside both
 * neuron z of the top layer of `layers` and neuron i of the layer below, as a mixed-integer LP (each
 * ReLU below z whose sign the box does not fix is a binary with big-M bounds, tightened layer by
 * layer by LP relaxations). The objective is min(zeta_z / |w_z|, zeta_i / |w_i|) over the box.
 *
 * Why exact: a weight c_zi acts only where z and i are on together; sampling and ascent miss slivers
 * of ~1e-6 of inputs (10-15-15-15-15-1 rk 2, layer-4 neuron 4 with layer-3 neuron 10: on together on
 * 5e-6 of inputs at 10-30 domain scales), and a verdict of 'never together' that rests on a search
 * is only as good as its starts. Here 'none' is a proof within the box.
 */
export function deepestJointInput(solver: MilpSolver, layers: readonly DenseLayer[], z: number, i: number, options: JointInputOptions): JointInputVerdict {
  const top = layers.length - 1;
  if (top < 1) throw new RangeError('deepestJointInput needs at least two layers (z on the top one, i on the one below)');
  if (!(z >= 0 && z < layers[top].outDim)) throw new RangeError(`neuron z = ${z} is not in the top layer (width ${layers[top].outDim})`);
  if (!(i >= 0 && i < layers[top - 1].outDim)) throw new RangeError(`neuron i = ${i} is not in the layer below (width ${layers[top - 1].outDim})`);
  if (!(options.halfWidth > 0 && Number.isFinite(options.halfWidth))) throw new RangeError(`halfWidth must be positive and finite, got ${options.halfWidth}`);
  const off = options.off ?? [];
  for (const o of off) if (!(o >= 0 && o < layers[top - 1].outDim) || o === i) throw new RangeError(`off neuron ${o} is not another neuron of the layer below`);
  const offAbove = options.offAbove ?? [];
  for (const o of offAbove) if (!(o >= 0 && o < layers[top].outDim) || o === z) throw new RangeError(`offAbove neuron ${o} is not another neuron of z's layer`);
  const INF = solver.infinity;
  const model = new Program();
  const n0 = layers[0].inDim;
  const xs = Array.from({ length: n0 }, () => model.variable(-options.halfWidth, options.halfWidth));
  const t = model.variable(-INF, INF, 1);
  // The side of each neuron below z in the solution: a binary's value, or fixed by the box.
  const sides: (number | boolean)[][] = [];
  let prev = xs;
  let lo = new Float64Array(n0).fill(-options.halfWidth), hi = new Float64Array(n0).fill(options.halfWidth);
  for (let l = 0; l <= top; l++) {
    const { inDim, outDim, weights: W, biases: b } = layers[l];
    const cur: number[] = [];
    const nlo = new Float64Array(outDim), nhi = new Float64Array(outDim);
    for (let r = 0; r < outDim; r++) {
      const row = W.subarray(r * inDim, (r + 1) * inDim);
      const terms: Term[] = Array.from(row, (w, d) => [w, prev[d]]);
      const negated = terms.map(([w, v]): Term => [-w, v]);
      let norm = 0;
      for (const w of row) norm += w * w;
      norm = Math.sqrt(norm) || 1;
      // Margin rows: zeta - t |w| >= 0 for z and i, -zeta - t |w| >= 0 for those kept off.
      if (l === top) {
        if (r === z) {
          if (options.onBoundary) model.row(terms, -b[r], -b[r]);
          else model.row([[-norm, t], ...terms], -b[r], INF);
        }
        if (offAbove.includes(r)) model.row([[-norm, t], ...negated], b[r], INF);
        continue;
      }
      if (l === top - 1 && r === i) model.row([[-norm, t], ...terms], -b[r], INF);
      if (l === top - 1 && off.includes(r)) model.row([[-norm, t], ...negated], b[r], INF);
      let a = b[r], c = b[r];
      for (let d = 0; d < inDim; d++) {
        const w = row[d];
        if (w >= 0) (a += w * lo[d]), (c += w * hi[d]);
        else (a += w * hi[d]), (c += w * lo[d]);
      }
      // Interval bounds are loose past the first layer; LP relaxations of the rows so far tighten
      // them, and a tight big-M is what keeps the branch and bound short (bench/milp.bench.mjs).
      if (options.tighten !== false && l > 0 && a < 0 && c > 0) {
        const tight = model.relaxedRange(solver, terms, b[r]);
        a = Math.max(a, tight.min);
        c = Math.min(c, tight.max);
      }
      nlo[r] = Math.max(0, a);
      nhi[r] = Math.max(0, c);
      const h = model.variable(0, Math.max(0, c));
      cur.push(h);
      (sides[l] ??= [])[r] = a >= 0 ? true : c <= 0 ? false : model.columns();
      if (c <= 0) continue;
      if (a >= 0) {
        model.row([[1, h], ...negated], b[r], b[r]);
        continue;
      }
      const s = model.variable(0, 1, 0, true);
      model.row([[1, h], ...negated], b[r], INF); // h >= zeta
      model.row([[1, h], ...negated, [-a, s]], -INF, b[r] - a); // h <= zeta - a (1 - s)
      model.row([[1, h], [-c, s]], -INF, 0); // h <= c s
    }
    lo = nlo;
    hi = nhi;
    prev = cur;
  }
  const run = model.solve(solver, options.timeLimit ?? 30, true, options.gap);
  if (run.status === INFEASIBLE) return { kind: 'none', bound: -Infinity };
  if (run.status !== OPTIMAL) return { kind: 'unknown', reason: `the solver stopped with model status ${run.status}` };
  if (run.bound <= 0) return { kind: 'none', bound: run.bound };
  let input: Float64Array = Float64Array.from(xs, (k) => run.values[k]);
  if (options.awayFromOthers) {
    const pattern = sides.map((row) => row.map((sd) => (typeof sd === 'boolean' ? sd : run.values[sd] > 0.5)));
    input = centreOfPiece(solver, layers, z, pattern, options.halfWidth, options.onBoundary === true) ?? input;
  }
  const margin = marginAt(layers, z, i, off, offAbove, input, options.onBoundary === true);
  return margin > 0 ? { kind: 'found', input, margin } : { kind: 'unknown', reason: `the solver's point (margin ${run.values[t].toExponential(2)}) has margin ${margin.toExponential(2)} in float64` };
}

type Term = [number, number];

/**
 * The centre of the piece `at` lies in (the activation pattern there of the layers below the top of
 * `layers`), as deepestJointInput's awayFromOthers moves its point to, with neuron z of the top layer
 * on (or on its boundary: onBoundary) and i of the layer below on: an LP, no search. Undefined when
 * that piece has no such interior (z's boundary does not cross it, or i is off in it). Cheap where
 * an input of the right piece is known already.
 */
export function pieceCentre(solver: MilpSolver, layers: readonly DenseLayer[], z: number, i: number, at: Float64Array, options: { halfWidth: number; onBoundary?: boolean }): Float64Array | undefined {
  const top = layers.length - 1;
  if (top < 1) throw new RangeError('pieceCentre needs at least two layers (z on the top one, i on the one below)');
  const pattern: boolean[][] = [];
  let below = at;
  for (let l = 0; l < top; l++) {
    const { inDim, outDim, weights: W, biases: b } = layers[l];
    const next = new Float64Array(outDim), on: boolean[] = [];
    for (let r = 0; r < outDim; r++) {
      let v = b[r];
      for (let d = 0; d < inDim; d++) v += W[r * inDim + d] * below[d];
      on.push(v > 0);
      next[r] = v > 0 ? v : 0;
    }
    pattern.push(on);
    below = next;
  }
  if (!pattern[top - 1][i]) return undefined;
  return centreOfPiece(solver, layers, z, pattern, options.halfWidth, options.onBoundary === true);
}

/**
 * The point of the piece with the given pattern of the layers below z (and the box) farthest from
 * every boundary of those layers and of z's (bar z's own when onBoundary, where it stays at 0),
 * distances in input space: an LP over the piece's affine forms. Undefined when the piece has no
 * interior there. The other neurons of z's layer are not constrained.
 */
function centreOfPiece(solver: MilpSolver, layers: readonly DenseLayer[], z: number, pattern: readonly (readonly boolean[])[], halfWidth: number, onBoundary: boolean): Float64Array | undefined {
  const top = layers.length - 1, n0 = layers[0].inDim, INF = solver.infinity;
  const model = new Program();
  const xs = Array.from({ length: n0 }, () => model.variable(-halfWidth, halfWidth));
  const t = model.variable(-INF, INF, 1);
  // J (rows x n0) and c of each layer's pre-activations on the piece.
  let J = new Float64Array(0), c = new Float64Array(0);
  for (let l = 0; l <= top; l++) {
    const { inDim, outDim, weights: W, biases: b } = layers[l];
    const nJ = new Float64Array(outDim * n0), nc = Float64Array.from(b);
    for (let r = 0; r < outDim; r++) {
      for (let q = 0; q < inDim; q++) {
        const w = W[r * inDim + q];
        if (w === 0) continue;
        if (l === 0) nJ[r * n0 + q] += w;
        else if (pattern[l - 1][q]) {
          for (let d = 0; d < n0; d++) nJ[r * n0 + d] += w * J[q * n0 + d];
          nc[r] += w * c[q];
        }
      }
    }
    for (let r = 0; r < outDim; r++) {
      if (l === top && r !== z) continue;
      const g = nJ.subarray(r * n0, (r + 1) * n0), gn = Math.hypot(...g);
      const terms: Term[] = Array.from(g, (v, d): Term => [v, xs[d]]);
      if (l === top && onBoundary) {
        model.row(terms, -nc[r], -nc[r]);
        continue;
      }
      const on = l === top || pattern[l][r];
      if (!(gn > 0)) {
        // Flat on the piece: its side is its constant's, no margin to keep.
        if (on ? nc[r] < 0 : nc[r] > 0) return undefined;
        continue;
      }
      model.row([[-gn, t], ...(on ? terms : terms.map(([w, v]): Term => [-w, v]))], on ? -nc[r] : nc[r], INF);
    }
    J = nJ;
    c = nc;
  }
  const r = model.solve(solver, 30, false);
  if (r.status !== OPTIMAL || !(r.values[t] > 0)) return undefined;
  return Float64Array.from(xs, (k) => r.values[k]);
}

/** The margin deepestJointInput maximises, at x, in float64. */
function marginAt(layers: readonly DenseLayer[], z: number, i: number, off: readonly number[], offAbove: readonly number[], x: Float64Array, onBoundary: boolean): number {
  const top = layers.length - 1;
  let below = x;
  let m = Infinity;
  for (let l = 0; l <= top; l++) {
    const { inDim, outDim, weights: W, biases: b } = layers[l];
    const next = new Float64Array(outDim);
    for (let r = 0; r < outDim; r++) {
      let v = b[r], norm = 0;
      for (let d = 0; d < inDim; d++) (v += W[r * inDim + d] * below[d]), (norm += W[r * inDim + d] ** 2);
      norm = Math.sqrt(norm) || 1;
      if ((l === top && r === z && !onBoundary) || (l === top - 1 && r === i)) m = Math.min(m, v / norm);
      if ((l === top - 1 && off.includes(r)) || (l === top && offAbove.includes(r))) m = Math.min(m, -v / norm);
      next[r] = v > 0 ? v : 0;
    }
    below = next;
  }
  return m;
}

/** A linear program built row by row (maximised), handed to HiGHS as sparse rows. */
class Program {
  private readonly lower: number[] = [];
  private readonly upper: number[] = [];
  private readonly cost: number[] = [];
  private readonly integer: number[] = [];
  private readonly rows: { terms: Term[]; lo: number; hi: number }[] = [];
  variable(lo: number, hi: number, cost = 0, binary = false): number {
    this.lower.push(lo);
    this.upper.push(hi);
    this.cost.push(cost);
    this.integer.push(binary ? 1 : 0);
    return this.lower.length - 1;
  }

  row(terms: Term[], lo: number, hi: number): void {
    this.rows.push({ terms: terms.filter(([w]) => w !== 0), lo, hi });
  }

  /** Smallest and largest of sum(w v) + bias over the LP relaxation of the rows so far. */
  relaxedRange(solver: MilpSolver, terms: readonly Term[], bias: number): { min: number; max: number } {
    const cost = new Array<number>(this.lower.length).fill(0);
    for (const [w, v] of terms) cost[v] += w;
    const at = (sense: 'minimize' | 'maximize') => {
      const r = this.run(solver, cost, false, sense, 5);
      if (r.status !== OPTIMAL) return sense === 'minimize' ? -Infinity : Infinity;
      let v = bias;
      for (const [w, k] of terms) v += w * r.values[k];
      return v;
    };
    return { min: at('minimize'), max: at('maximize') };
  }

  solve(solver: MilpSolver, timeLimit: number, integral = true, gap?: number): { status: number; values: Float64Array; bound: number } {
    return this.run(solver, this.cost, integral, 'maximize', timeLimit, gap);
  }

  /** Index the next variable will have. */
  columns(): number {
    return this.lower.length;
  }

  private run(solver: MilpSolver, cost: readonly number[], integral: boolean, sense: 'minimize' | 'maximize', timeLimit: number, gap?: number): { status: number; values: Float64Array; bound: number } {
    const starts = [0], indices: number[] = [], values: number[] = [];
    for (const r of this.rows) {
      for (const [w, v] of r.terms) indices.push(v), values.push(w);
      starts.push(indices.length);
    }
    const n = this.lower.length, m = this.rows.length;
    const model = solver.createModel({
      numCols: n,
      numRows: m,
      sense: solver.constants.objectiveSense[sense],
      colCost: cost,
      colLower: this.lower,
      colUpper: this.upper,
      rowLower: this.rows.map((r) => r.lo),
      rowUpper: this.rows.map((r) => r.hi),
      matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
      ...(integral ? { integrality: Int32Array.from(this.integer) } : {}),
    });
    try {
      model.options.set({ output_flag: false, time_limit: timeLimit, ...(integral && gap !== undefined ? { mip_rel_gap: gap } : {}) });
      const run = model.run();
      const status = run.modelStatus as number;
      const vals = status === OPTIMAL ? Float64Array.from(model.getSolution().colValue) : new Float64Array(n);
      const bound = status === OPTIMAL && integral ? Number(model.info.get('mip_dual_bound')) : NaN;
      return { status, values: vals, bound };
    } finally {
      model.dispose();
    }
  }
}
