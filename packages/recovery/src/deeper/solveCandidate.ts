import { nullVector, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { equationRow } from './Candidate.js';

export interface CandidateSolution {
  c: Float64Array;
  lambda: Float64Array;
  bias: number;
  closure: number;
  pinning: number;
  /** Layer-(k-1) columns that were zero on every point (weights the boundary cannot show). */
  unseenColumns: number[];
  /**
   * Layer-(k-1) columns active on every point: without signs, ReLU(zeta_j) = zeta_j is affine in
   * h^(k-2) and inseparable from lambda, so they are dropped (c_j = 0, its share held in lambda) and
   * pinned later by the signed re-solve. Always empty with `signed`.
   */
  alwaysActiveColumns: number[];
  /** Indices of points left out (sole support of a column state, or outliers). */
  droppedPoints: number[];
  /**
   * With `weak`: the unit right singular vector of the second-smallest singular value (same layout
   * as [c, lambda, bias]), the direction the points pin least (to `pinning`).
   */
  weakDirection?: Float64Array;
}

export interface SolveCandidateOptions {
  /** Signs of layer k-1 fixed: no lambda block. Default false. */
  signed?: boolean;
  /**
   * A column state (active / inactive) seen on fewer points than this is not trusted: those points
   * are left out and the column counts as never switching. A single stray point (a kink of another
   * neuron) otherwise gets its own column and the system closes on a wrong vector. Default 2.
   */
  minSupport?: number;
  /** When the system does not close below `closeBelow`, drop up to this many worst points. Default 0. */
  maxOutliers?: number;
  /** Default 1e-8. */
  closeBelow?: number;
  /** Also return weakDirection. Default false. */
  weak?: boolean;
}

/**
 * The homogeneous point system of one candidate (ALGORITHM.md section 4): every boundary point
 * q gives c . ReLU(zeta^(k-1)(q)) + lambda . h^(k-2)(q) + b = 0. The null vector is the neuron up
 * to scale. With `signed` (signs of layer k-1 fixed) there is no lambda block. Columns zero on
 * every point (a neuron never active along the boundary) are dropped first: they would give an
 * exact false null vector, and their weights stay unknown.
 */
export function solveCandidate(known: readonly DenseLayer[], points: Float64Array[], options: SolveCandidateOptions | boolean = {}): CandidateSolution {
  const opts: SolveCandidateOptions = typeof options === 'boolean' ? { signed: options } : options;
  const signed = opts.signed ?? false;
  const minSupport = opts.minSupport ?? 2;
  const closeBelow = opts.closeBelow ?? 1e-8;
  const width = known[known.length - 1].outDim;
  const { rows: allRows, basis, use } = pointSystem(known, points, signed, minSupport);
  let sol = solveRows(allRows, use, width, signed, opts.weak);
  for (let o = 0; o < (opts.maxOutliers ?? 0) && sol.closure > closeBelow && use.length > 3; o++) {
    const worst = use.reduce((a, i) => (sol.residuals.get(i)! > sol.residuals.get(a)! ? i : a), use[0]);
    const next = solveRows(allRows, use.filter((i) => i !== worst), width, signed, opts.weak);
    if (next.closure >= sol.closure) break;
    use.splice(use.indexOf(worst), 1);
    sol = next;
  }
  const droppedPoints = allRows.map((_, i) => i).filter((i) => !use.includes(i));
  if (basis) {
    const mu = sol.solution.lambda, p0 = known[known.length - 1].inDim, lambda = new Float64Array(p0);
    for (let a = 0; a < mu.length; a++) for (let i = 0; i < p0; i++) lambda[i] += mu[a] * basis[a * p0 + i];
    return { ...sol.solution, lambda, droppedPoints };
  }
  return { ...sol.solution, droppedPoints };
}

/** What screenCandidate learns about a point system without its SVD. */
export interface CandidateScreen {
  /** Indices of the points solveCandidate would leave out before solving (sole support of a column state). */
  unsupported: number[];
  /**
   * A proven lower bound on the closure solveCandidate would report without outliers (0 when none
   * is proven): 9e-5 when the point system is clearly open, else 0.
   */
  closureAtLeast: number;
}

/**
 * solveCandidate's first steps, without the SVD: the points it would leave out, and whether its
 * system clearly does not close. For callers that only ask whether a pooled system closes (most
 * pools of a trace with an accepted neuron do not, and each SVD cost ~0.5 ms of coordinator time).
 *
 * The bound: the scaled system A (r x k, rows of norm 1 or 0, so sigma_max <= sqrt(r)) has
 * sigma_min >= 1e-4 sqrt(r) when the Cholesky factorisation of A'A - 1e-8 r I (formed in
 * floating point) succeeds, because the rounding of the product (~r eps ||A||_F^2 <= r^2 eps) and
 * of the factorisation (~k^2 eps ||A'A||) is below 3e-11 r for k <= 300 and r <= 1e5 (larger
 * systems are not screened), far under the 1e-8 r shift. The closure
 * sigma_min / sigma_max is then >= 1e-4, and the SVD computes it to ~1e-12: any test against a
 * threshold below 9e-5 comes out the same.
 */
export function screenCandidate(known: readonly DenseLayer[], points: Float64Array[], options: Pick<SolveCandidateOptions, 'signed' | 'minSupport'> = {}): CandidateScreen {
  const signed = options.signed ?? false, width = known[known.length - 1].outDim;
  const { rows, use } = pointSystem(known, points, signed, options.minSupport ?? 2);
  const kept = new Uint8Array(rows.length);
  for (const i of use) kept[i] = 1;
  const unsupported = rows.map((_, i) => i).filter((i) => kept[i] === 0);
  const { A, k } = scaledSystem(rows, use, width, signed);
  return { unsupported, closureAtLeast: clearlyOpen(A, use.length, k) ? 9e-5 : 0 };
}

/**
 * Cholesky of A'A - 1e-8 r I succeeds (see screenCandidate). Hand-written over Float64Array: a
 * k x k Gram product (k ~ 30) and its factorisation in place of an SVD, on the layer search's
 * hot path, where ml-matrix's objects would cost more than the arithmetic.
 */
function clearlyOpen(A: Float64Array, r: number, k: number): boolean {
  if (k === 0 || r < k || k > 300 || r > 1e5) return false;
  const G = new Float64Array(k * k);
  for (let i = 0; i < r; i++) {
    const o = i * k;
    for (let a = 0; a < k; a++) {
      const v = A[o + a];
      if (v === 0) continue;
      for (let b = 0; b <= a; b++) G[a * k + b] += v * A[o + b];
    }
  }
  const shift = 1e-8 * r;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = G[a * k + b] - (a === b ? shift : 0);
      for (let p = 0; p < b; p++) s -= G[a * k + p] * G[b * k + p];
      if (a === b) {
        if (!(s > 0)) return false;
        G[a * k + a] = Math.sqrt(s);
      } else G[a * k + b] = s / G[b * k + b];
    }
  }
  return true;
}

/**
 * The point equations' rows (lambda in the row-space basis of a contractive layer k-1) and the
 * points kept (see `supported`).
 */
function pointSystem(known: readonly DenseLayer[], points: Float64Array[], signed: boolean, minSupport: number): { rows: Float64Array[]; basis?: Float64Array; use: number[] } {
  const width = known[known.length - 1].outDim;
  // The rows come back beside the basis, not as an array carrying a 'basis' property, and the arrays
  // here, in supported and in scaledSystem are filled by push: those two met arrays of several maps
  // and were deoptimised ('wrong map') and compiled again, scaledSystem 14 times and supported 12
  // in a 10-20-20-1 run over three threads (~0.25 s of TurboFan); now 4 and 5.
  const raw: Float64Array[] = [];
  for (const p of points) raw.push(equationRow(known, p, signed));
  const use = supported(raw, width, minSupport);
  // A contractive layer k-1 (narrower than h^(k-2), e.g. 40-20-...): the true lambda lies in the row
  // space of W^(k-1) (it is -sum_j f_j c_j V_j), while the points of one boundary, which is
  // invariant along the null space of W^(k-1), leave lambda's other components free: exact false
  // null vectors (pinning 0, every layer-2 trace of a 40-20-10-10-1 net rejected). Solve for
  // lambda's coordinates in an orthonormal basis of that row space instead.
  // Only the coordinates of h^(k-2) that are nonzero on some kept point can show in the equations:
  // the row space is projected onto them (lambda is not identifiable on the others, and mixing them
  // in gives exact false null vectors too, e.g. a layer-(k-1) of 19 neurons over 20 with one never
  // active on the trace).
  const p0 = known[known.length - 1].inDim;
  const support = Array.from({ length: p0 }, (_, i) => i).filter((i) => use.some((r) => raw[r][width + i] !== 0));
  const basis = signed ? undefined : rowSpaceBasis(known[known.length - 1], support);
  if (!basis) return { rows: raw, basis, use };
  const rows: Float64Array[] = [];
  for (const r of raw) {
    const q = basis.length / p0, out = new Float64Array(width + q + 1);
    out.set(r.subarray(0, width));
    for (let a = 0; a < q; a++) {
      let v = 0;
      for (let i = 0; i < p0; i++) v += basis[a * p0 + i] * r[width + i];
      out[width + a] = v;
    }
    out[width + q] = r[r.length - 1];
    rows.push(out);
  }
  return { rows, basis, use };
}

/**
 * Indices of the points kept: points that alone carry a column state are left out, until none is
 * left. Without signs, the same for the coordinates of h^(k-2) (the lambda block): one nonzero on
 * fewer than minSupport points is left out with its points. Such a column can take up those
 * points' equations, and two on one point are an exact false null vector whatever the points (a
 * 20-30-30-20-1 layer-3 neuron merged a far seed where two rare layer-1 neurons were active: its
 * system closed at 1e-19 on a vector of lambda alone, and every later trace joined it). Such points
 * leave the neuron for good: kept for the signed solves, they changed which coordinates the sign
 * stacks take as seen (10-20-20-20-1 carlini 3: the layer-3 stack no longer closed).
 */
function supported(raw: Float64Array[], width: number, minSupport: number): number[] {
  let use: number[] = [];
  for (let i = 0; i < raw.length; i++) use.push(i);
  const cols = raw.length > 0 ? raw[0].length - 1 : 0;
  for (let changed = true; changed && minSupport > 1; ) {
    changed = false;
    for (let c = 0; c < width; c++) {
      // Counted in a loop: every pooled solve and screen runs this over ~100 rows and ~20 columns.
      let on = 0;
      for (const i of use) if (raw[i][c] > 0) on++;
      const off = use.length - on;
      const dropOn = on > 0 && on < minSupport && off >= minSupport;
      const dropOff = !dropOn && off > 0 && off < minSupport && on >= minSupport;
      if (dropOn || dropOff) {
        use = use.filter((i) => raw[i][c] > 0 !== dropOn);
        changed = true;
      }
    }
    for (let c = width; c < cols; c++) {
      let on = 0;
      for (const i of use) if (raw[i][c] !== 0) on++;
      if (on > 0 && on < minSupport && use.length - on >= minSupport) {
        use = use.filter((i) => raw[i][c] === 0);
        changed = true;
      }
    }
  }
  return use;
}

/**
 * Orthonormal rows spanning the row space of a layer narrower than its input, restricted to the
 * input coordinates in `support` (zero elsewhere; modified Gram-Schmidt, twice; rows below 1e-10
 * of their norm after projection are dependent and dropped), or undefined when the layer is at
 * least as wide as its input and every coordinate is supported (then lambda is unrestricted).
 */
function rowSpaceBasis(layer: DenseLayer, support: readonly number[]): Float64Array | undefined {
  const { inDim: p, outDim: n, weights: W } = layer;
  if (n >= p) return undefined;
  const rows: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(p);
    for (const i of support) v[i] = W[j * p + i];
    const n0 = hypot(v);
    if (!(n0 > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const u of rows) {
        let d = 0;
        for (let i = 0; i < p; i++) d += u[i] * v[i];
        for (let i = 0; i < p; i++) v[i] -= d * u[i];
      }
    }
    const nv = hypot(v);
    if (nv > 1e-10 * n0) rows.push(v.map((x) => x / nv));
  }
  const B = new Float64Array(rows.length * p);
  rows.forEach((r, a) => B.set(r, a * p));
  return B;
}

/**
 * The matrix solveRows takes the null vector of: the used points' rows on the columns kept
 * (columns zero on every point, and without signs columns active on every point, left out), each
 * row scaled to norm 1.
 */
function scaledSystem(allRows: Float64Array[], use: number[], width: number, signed: boolean) {
  // Plain loops (no closures): this runs for every pooled solve and screen of the layer search.
  const rows: Float64Array[] = [];
  for (const i of use) rows.push(allRows[i]);
  const cols = allRows[0].length;
  const keep: number[] = [], unseenColumns: number[] = [], alwaysActiveColumns: number[] = [];
  for (let c = 0; c < cols; c++) {
    let used = false, allActive = true;
    for (const r of rows) {
      if (r[c] !== 0) used = true;
      if (!(r[c] > 0)) allActive = false;
    }
    if (!used) {
      if (c < width) unseenColumns.push(c);
    } else if (!signed && c < width && allActive) alwaysActiveColumns.push(c);
    else keep.push(c);
  }
  const k = keep.length;
  // Row scaling by the row norm: points far out must not dominate the fit.
  const A = new Float64Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let s = 0;
    for (let j = 0; j < k; j++) s += r[keep[j]] * r[keep[j]];
    s = Math.sqrt(s) || 1;
    for (let j = 0; j < k; j++) A[i * k + j] = r[keep[j]] / s;
  }
  return { rows, cols, keep, k, A, unseenColumns, alwaysActiveColumns };
}

function solveRows(allRows: Float64Array[], use: number[], width: number, signed: boolean, weak = false) {
  const { rows, cols, keep, k, A, unseenColumns, alwaysActiveColumns } = scaledSystem(allRows, use, width, signed);
  const { vector, singularValues: sv } = nullVector(A, rows.length, k);
  const full = new Float64Array(cols);
  keep.forEach((c, j) => (full[c] = vector[j]));
  const residuals = new Map<number, number>();
  use.forEach((i, r) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += A[r * k + j] * vector[j];
    residuals.set(i, Math.abs(s));
  });
  let weakDirection: Float64Array | undefined;
  if (weak && k >= 2) {
    // Deflation: the null vector appended as a dominant row leaves the next-smallest direction.
    const B = new Float64Array((rows.length + 1) * k);
    B.set(A);
    for (let j = 0; j < k; j++) B[rows.length * k + j] = vector[j] * Math.sqrt(rows.length) * sv[0];
    const { vector: w } = nullVector(B, rows.length + 1, k);
    weakDirection = new Float64Array(cols);
    keep.forEach((c, j) => (weakDirection![c] = w[j]));
  }
  const smax = sv[0];
  const closure = rows.length >= k ? sv[k - 1] / smax : 0;
  const pinning = rows.length >= k - 1 ? sv[k - 2] / smax : 0;
  return {
    closure,
    residuals,
    solution: {
      c: full.slice(0, width),
      lambda: full.slice(width, cols - 1),
      bias: full[cols - 1],
      closure,
      pinning,
      unseenColumns,
      alwaysActiveColumns,
      ...(weakDirection ? { weakDirection } : {}),
    },
  };
}
