import { pseudoInverse, solveLeastSquares, hypot } from '@relurec/linalg';

export interface FlipSolution {
  /** flips[j] = 1 when neuron j's recovered sign is wrong. */
  flips: Uint8Array;
  /** Largest distance of the continuous solution from {0, 1} (0 = clean). */
  margin: number;
  /** ||A f - lambda|| / ||lambda|| for the rounded f. */
  residual: number;
  /** 'linear' when A had full column rank, else 'enumerated' over 2^free assignments. */
  method: 'linear' | 'enumerated';
  /** Free indicators enumerated (0 for the linear case). */
  free: number;
}

export class SignsUndeterminedError extends Error {
  override readonly name = 'SignsUndeterminedError';
  constructor(readonly unknowns: number, readonly rank: number, readonly maxFree: number, message?: string) {
    super(message ?? `sign indicators are under-determined: ${unknowns} unknowns, rank ${rank}; enumerating 2^${unknowns - rank} assignments exceeds the bound 2^${maxFree}`);
  }
}

/**
 * Solves A f = lambda for f in {0,1}^k (ALGORITHM.md sections 4-5). Full column rank: least
 * squares and rounding. Otherwise exact enumeration over the indicators outside a column basis
 * (2^(k - rank) small solves, bounded by 2^maxFree), keeping the assignment whose basis part is
 * closest to binary and whose residual is smallest. For generic weights the binary solution is
 * unique, since no nonzero {-1,0,1} vector lies in the null space of a generic A.
 */
export function solveFlips(A: Float64Array, rows: number, k: number, lambda: Float64Array, maxFree = 20): FlipSolution {
  const scaleL = Math.max(1e-300, hypot(lambda));
  const ls = solveLeastSquares(A, rows, k, lambda, 1e-10);
  const sv = ls.singularValues;
  const rank = sv.filter((s) => s > 1e-9 * sv[0]).length;
  if (rank === k) {
    const flips = Uint8Array.from(ls.x, (v) => (v > 0.5 ? 1 : 0));
    const margin = Math.max(0, ...Array.from(ls.x, (v, j) => Math.abs(v - flips[j])));
    return { flips, margin, residual: residualOf(A, rows, k, flips, lambda) / scaleL, method: 'linear', free: 0 };
  }
  if (k - rank > maxFree) throw new SignsUndeterminedError(k, rank, maxFree);
  // Greedy column basis by Gram-Schmidt.
  const basis: number[] = [], freeCols: number[] = [];
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(rows);
    for (let r = 0; r < rows; r++) v[r] = A[r * k + j];
    const n0 = hypot(v);
    for (const u of q) {
      let d = 0;
      for (let r = 0; r < rows; r++) d += u[r] * v[r];
      for (let r = 0; r < rows; r++) v[r] -= d * u[r];
    }
    const n1 = hypot(v);
    if (basis.length < rank && n1 > 1e-8 * Math.max(n0, 1e-300)) {
      for (let r = 0; r < rows; r++) v[r] /= n1;
      q.push(v);
      basis.push(j);
    } else freeCols.push(j);
  }
  const b = basis.length;
  const AB = new Float64Array(rows * b);
  for (let r = 0; r < rows; r++) basis.forEach((j, c) => (AB[r * b + c] = A[r * k + j]));
  const P = pseudoInverse(AB, rows, b);
  const x = new Float64Array(b);
  let best: { flips: Uint8Array; score: number; margin: number } | undefined;
  const rhs = new Float64Array(rows);
  const f = new Uint8Array(k);
  for (let mask = 0; mask < 2 ** freeCols.length; mask++) {
    for (let r = 0; r < rows; r++) rhs[r] = lambda[r];
    freeCols.forEach((j, i) => {
      const bit = (mask >>> i) & 1;
      f[j] = bit;
      if (bit) for (let r = 0; r < rows; r++) rhs[r] -= A[r * k + j];
    });
    for (let c = 0; c < b; c++) {
      let v = 0;
      for (let r = 0; r < rows; r++) v += P[c * rows + r] * rhs[r];
      x[c] = v;
    }
    let margin = 0;
    basis.forEach((j, c) => {
      f[j] = x[c] > 0.5 ? 1 : 0;
      margin = Math.max(margin, Math.abs(x[c] - f[j]));
    });
    if (margin > 0.25) continue;
    const score = residualOf(A, rows, k, f, lambda);
    if (!best || score < best.score) best = { flips: Uint8Array.from(f), score, margin };
  }
  if (!best) throw new SignsUndeterminedError(k, rank, maxFree, `no sign assignment is near {0, 1}: each of the 2^${freeCols.length} enumerated leaves an indicator more than 0.25 off (${k} unknowns, rank ${rank})`);
  return { flips: best.flips, margin: best.margin, residual: best.score / scaleL, method: 'enumerated', free: freeCols.length };
}

function residualOf(A: Float64Array, rows: number, k: number, f: Uint8Array, lambda: Float64Array): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    let v = -lambda[r];
    for (let j = 0; j < k; j++) if (f[j]) v += A[r * k + j];
    s += v * v;
  }
  return Math.sqrt(s);
}
