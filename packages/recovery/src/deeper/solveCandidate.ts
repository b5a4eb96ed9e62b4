import { nullVector } from '@relurec/linalg';
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
  const allRows = points.map((p) => equationRow(known, p, signed));
  const width = known[known.length - 1].outDim;
  let use = allRows.map((_, i) => i);
  // Points that alone carry a column state are left out, until none is left.
  for (let changed = true; changed && minSupport > 1; ) {
    changed = false;
    for (let c = 0; c < width; c++) {
      const on = use.filter((i) => allRows[i][c] > 0);
      const off = use.filter((i) => !(allRows[i][c] > 0));
      const drop = on.length > 0 && on.length < minSupport && off.length >= minSupport ? on
        : off.length > 0 && off.length < minSupport && on.length >= minSupport ? off : [];
      if (drop.length > 0) {
        use = use.filter((i) => !drop.includes(i));
        changed = true;
      }
    }
  }
  let sol = solveRows(allRows, use, width, signed);
  for (let o = 0; o < (opts.maxOutliers ?? 0) && sol.closure > closeBelow && use.length > 3; o++) {
    const worst = use.reduce((a, i) => (sol.residuals.get(i)! > sol.residuals.get(a)! ? i : a), use[0]);
    const next = solveRows(allRows, use.filter((i) => i !== worst), width, signed);
    if (next.closure >= sol.closure) break;
    use = use.filter((i) => i !== worst);
    sol = next;
  }
  const droppedPoints = allRows.map((_, i) => i).filter((i) => !use.includes(i));
  return { ...sol.solution, droppedPoints };
}

function solveRows(allRows: Float64Array[], use: number[], width: number, signed: boolean) {
  const rows = use.map((i) => allRows[i]);
  const cols = allRows[0].length;
  const keep: number[] = [], unseenColumns: number[] = [], alwaysActiveColumns: number[] = [];
  for (let c = 0; c < cols; c++) {
    const used = rows.some((r) => r[c] !== 0);
    if (!used) {
      if (c < width) unseenColumns.push(c);
    } else if (!signed && c < width && rows.every((r) => r[c] > 0)) alwaysActiveColumns.push(c);
    else keep.push(c);
  }
  const k = keep.length;
  // Row scaling by the row norm: points far out must not dominate the fit.
  const A = new Float64Array(rows.length * k);
  rows.forEach((r, i) => {
    let s = 0;
    for (const c of keep) s += r[c] * r[c];
    s = Math.sqrt(s) || 1;
    keep.forEach((c, j) => (A[i * k + j] = r[c] / s));
  });
  const { vector, singularValues: sv } = nullVector(A, rows.length, k);
  const full = new Float64Array(cols);
  keep.forEach((c, j) => (full[c] = vector[j]));
  const residuals = new Map<number, number>();
  use.forEach((i, r) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += A[r * k + j] * vector[j];
    residuals.set(i, Math.abs(s));
  });
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
    },
  };
}
