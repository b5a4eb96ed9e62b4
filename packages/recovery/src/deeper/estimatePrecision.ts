import { leastSquaresSolver, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { equationRow } from './Candidate.js';

export interface RowPrecision {
  /** Estimated standard error of each coefficient (c..., bias) of the unit-norm row; 0 for columns never active. */
  std: Float64Array;
  /** The largest of them. */
  maxStd: number;
  /** Residual degrees of freedom behind the estimate (points - unknowns + 1). */
  dof: number;
}

/**
 * How precise a neuron's row is, from its own point system (ALGORITHM.md section 6), no queries:
 * solved as solveCandidate does (rows scaled to unit norm, null vector v), the residuals give the
 * points' noise s^2 = |A v|^2 / dof and the coefficients' covariance is s^2 (A^T A)^+ (v's
 * direction left out). Exact points of a neuron that barely shows in the output are noisier (their
 * rounding error is ~ eps |f| / |d y / d h_z|): this finds such neurons before the judge does.
 * A small dof makes the estimate itself rough (within ~2x for dof >= 20). With `signed` as in
 * equationRow.
 */
export function estimateRowPrecision(known: readonly DenseLayer[], points: readonly Float64Array[], signed = true): RowPrecision {
  const rows = points.map((p) => equationRow(known, p, signed));
  const cols = rows[0]?.length ?? 0;
  const keep = Array.from({ length: cols }, (_, c) => c).filter((c) => rows.some((r) => r[c] !== 0));
  const k = keep.length, N = rows.length;
  const std = new Float64Array(cols);
  const dof = N - k + 1;
  if (k < 2 || dof < 1) return { std: std.fill(Infinity), maxStd: Infinity, dof: Math.max(0, dof) };
  const A = rows.map((r) => {
    const s = Math.sqrt(keep.reduce((a, c) => a + r[c] * r[c], 0)) || 1;
    return keep.map((c) => r[c] / s);
  });
  const { v, variance } = nullSpaceCovariance(A);
  let rss = 0;
  for (const a of A) {
    let r = 0;
    for (let i = 0; i < k; i++) r += a[i] * v[i];
    rss += r * r;
  }
  const s2 = rss / dof;
  // Coefficients are reported for the row scaled to a unit weight block (c), as the layer keeps it.
  const cNorm = hypot(keep.map((c, i) => (c < cols - 1 ? v[i] : 0))) || 1;
  keep.forEach((c, i) => (std[c] = Math.sqrt(s2 * variance[i]) / cNorm));
  return { std, maxStd: Math.max(...std), dof };
}

/**
 * For rows a_i (weighted: noise of unit variance) of a homogeneous system A v ~ 0: the unit null
 * vector v and the diagonal of (A^T A)^+ with v's own direction left out (the scale is not an
 * unknown): the variance of each component of v per unit noise variance.
 */
export function nullSpaceCovariance(A: readonly (readonly number[])[]): { v: Float64Array; variance: Float64Array } {
  // In three steps: as one function, the Gram loop was compiled on-stack first and the later loops
  // then deoptimised it (no type feedback yet) on every call, ~17 recompilations a run.
  const k = A[0].length;
  const M = gram(A, k);
  let trace = 0;
  for (let i = 0; i < k; i++) trace += M[i * k + i];
  const v = smallestEigenvector(M, k, trace);
  return { v, variance: varianceWithout(M, v, k, trace / k) };
}

/** A^T A of rows a_i (k x k, row-major). */
function gram(A: readonly (readonly number[])[], k: number): Float64Array {
  const M = new Float64Array(k * k);
  for (const a of A) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) M[i * k + j] += a[i] * a[j];
  return M;
}

/** The unit eigenvector of M's smallest eigenvalue: inverse iteration on a slightly shifted M. */
function smallestEigenvector(M: Float64Array, k: number, trace: number): Float64Array {
  const shifted = Float64Array.from(M);
  for (let i = 0; i < k; i++) shifted[i * k + i] += 1e-14 * trace;
  let v = new Float64Array(k).fill(1 / Math.sqrt(k));
  // One SVD per matrix, reused for every right-hand side (the same bits as a solve each).
  const inverseStep = leastSquaresSolver(shifted, k, k, 1e-16);
  for (let it = 0; it < 4; it++) {
    const { x } = inverseStep(v);
    const n = hypot(x);
    v = x.map((e) => e / n);
  }
  return v;
}

/** The diagonal of M^+ with v's direction left out, through (M + alpha v v^T)^-1 = M^+ + v v^T / alpha when M v ~ 0. */
function varianceWithout(M: Float64Array, v: Float64Array, k: number, alpha: number): Float64Array {
  const B = Float64Array.from(M);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) B[i * k + j] += alpha * v[i] * v[j];
  const variance = new Float64Array(k);
  const solveB = leastSquaresSolver(B, k, k, 1e-16);
  for (let i = 0; i < k; i++) {
    const e = new Float64Array(k);
    e[i] = 1;
    const { x } = solveB(e);
    variance[i] = Math.max(0, x[i] - (v[i] * v[i]) / alpha);
  }
  return variance;
}
