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
}

/**
 * The homogeneous point system of one candidate (ALGORITHM.md section 4): every boundary point
 * q gives c . ReLU(zeta^(k-1)(q)) + lambda . h^(k-2)(q) + b = 0. The null vector is the neuron up
 * to scale. Columns zero on every point (a neuron never active along the boundary) are dropped
 * first: they would give an exact false null vector, and their weights stay unknown.
 */
export function solveCandidate(known: readonly DenseLayer[], points: Float64Array[]): CandidateSolution {
  const rows = points.map((p) => equationRow(known, p));
  const width = known[known.length - 1].outDim;
  const cols = rows[0].length;
  const keep: number[] = [], unseenColumns: number[] = [];
  for (let c = 0; c < cols; c++) {
    const used = rows.some((r) => r[c] !== 0);
    if (used) keep.push(c);
    else if (c < width) unseenColumns.push(c);
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
  const smax = sv[0];
  const closure = rows.length >= k ? sv[k - 1] / smax : 0;
  const pinning = rows.length >= k - 1 ? sv[k - 2] / smax : 0;
  return {
    c: full.slice(0, width),
    lambda: full.slice(width, cols - 1),
    bias: full[cols - 1],
    closure,
    pinning,
    unseenColumns,
  };
}
