import { nullVector, solveLeastSquares, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { unsignedFeatures } from './unsignedFeatures.js';

export interface MissingActiveRow {
  /** Unit row of the missing neuron in the space of h^(L-1) (sign undetermined: the neuron is c.h + b or -c.h + b). */
  row: Float64Array;
  /** Flip indicators of the known layer-L neurons that go with it (1 = recovered sign wrong). */
  flips: Uint8Array;
  /** Largest distance of the indicators from {0, 1} before rounding (0 = clean). */
  margin: number;
  /** Second over first singular value of the stacked Lambda remainders (0 for an exact rank-one fit). */
  rankOneResidual: number;
}

export interface MissingActiveRowOptions {
  /** Angles scanned over [0, pi) before refining each local minimum. Default 1440. */
  scan?: number;
  /** Largest indicator distance from {0, 1} accepted. Default 0.05. */
  maxMargin?: number;
  /** Largest rankOneResidual accepted. Default 1e-6. */
  maxRankOne?: number;
}

/**
 * A layer-L neuron active on every cached sample (its boundary lies where no sample went) is affine
 * in h^(L-1) there: the unsigned output fit y_o = C_o . ReLU(zeta^L) + Lambda_o . h^(L-1) + c_o
 * absorbs it (ALGORITHM.md section 5), and Lambda_o = -sum_z f_z C_oz V_z + U_o w, with V_z the known
 * rows, f the layer-L flip indicators and U_o w the missing neuron. For two outputs a, b with
 * (U_a, U_b) ~ (cos t, sin t), sin t Lambda_a - cos t Lambda_b = -sum_z f_z (sin t C_az - cos t C_bz) V_z:
 * a singular pencil in t. Scan t, refine each dip of sigma_min / sigma_max (golden section), keep the
 * root whose null vector gives indicators in {0, 1}, and read w from Lambda_a + sum_z f_z C_az V_z
 * (rank one over all outputs, checked). Needs m >= 2 outputs and n_(L-1) >= n_L + 1 (more
 * equations than indicators); undefined otherwise or when no root passes. No queries.
 * `known` holds layers 1..L, signs of layers < L fixed.
 */
export function missingActiveRow(known: readonly DenseLayer[], xs: readonly Float64Array[], ys: readonly Float64Array[], options: MissingActiveRowOptions = {}): MissingActiveRow | undefined {
  const L = known.length;
  if (L < 2 || ys.length === 0) return undefined;
  const top = known[L - 1], nL = top.outDim, nP = top.inDim, m = ys[0].length, rows = xs.length, cols = nL + nP + 1;
  if (m < 2 || nP < nL + 1 || rows < 2 * cols) return undefined;
  const scan = options.scan ?? 1440, maxMargin = options.maxMargin ?? 0.05, maxRankOne = options.maxRankOne ?? 1e-6;
  const { F } = unsignedFeatures(known, xs);
  const fits = Array.from({ length: m }, (_, o) => solveLeastSquares(F, rows, cols, Float64Array.from(ys, (y) => y[o]), 1e-13).x);
  const C = fits.map((x) => x.subarray(0, nL)), Lam = fits.map((x) => x.subarray(nL, nL + nP));
  // The two outputs with the largest Lambda blocks carry the missing neuron most clearly.
  const order = Array.from({ length: m }, (_, o) => o).sort((p, q) => hypot(Lam[q]) - hypot(Lam[p]));
  const [a, b] = order;
  const pencil = (t: number) => {
    const sn = Math.sin(t), cs = Math.cos(t), M = new Float64Array(nP * (nL + 1));
    for (let i = 0; i < nP; i++) {
      for (let z = 0; z < nL; z++) M[i * (nL + 1) + z] = (sn * C[a][z] - cs * C[b][z]) * top.weights[z * nP + i];
      M[i * (nL + 1) + nL] = sn * Lam[a][i] - cs * Lam[b][i];
    }
    const { vector, singularValues: sv } = nullVector(M, nP, nL + 1);
    return { ratio: sv[nL] / Math.max(sv[0], 1e-300), vector };
  };
  const ratios = Array.from({ length: scan }, (_, k) => pencil((Math.PI * k) / scan).ratio);
  let best: MissingActiveRow | undefined;
  for (let k = 0; k < scan; k++) {
    const prev = ratios[(k + scan - 1) % scan], next = ratios[(k + 1) % scan];
    if (!(ratios[k] <= prev && ratios[k] < next)) continue;
    let lo = (Math.PI * (k - 1)) / scan, hi = (Math.PI * (k + 1)) / scan;
    for (let it = 0; it < 30; it++) {
      const p = lo + (hi - lo) / 3, q = hi - (hi - lo) / 3;
      if (pencil(p).ratio < pencil(q).ratio) hi = q;
      else lo = p;
    }
    const { vector } = pencil((lo + hi) / 2);
    const last = vector[nL];
    // A root where only the indicator columns are dependent (one known neuron's output ratio) has no
    // Lambda component: not the missing neuron.
    if (!(Math.abs(last) > 1e-6)) continue;
    const fc = Array.from(vector.subarray(0, nL), (v) => v / last);
    const flips = Uint8Array.from(fc, (v) => (v > 0.5 ? 1 : 0));
    const margin = Math.max(0, ...fc.map((v, z) => Math.abs(v - flips[z])));
    if (!(margin <= maxMargin) || (best && best.margin <= margin)) continue;
    // Remainders Lambda_o + sum_z f_z C_oz V_z over all outputs: rank one, U_o w.
    const R = Lam.map((l, o) => {
      const r = Float64Array.from(l);
      for (let z = 0; z < nL; z++) if (flips[z]) for (let i = 0; i < nP; i++) r[i] += C[o][z] * top.weights[z * nP + i];
      return r;
    });
    const { row, residual } = principalRow(R, nP);
    // Nothing left over (Lambda explained by the flips alone): no missing neuron in it.
    const left = hypot(R.flatMap((r) => Array.from(r))), all = hypot(Lam.flatMap((l) => Array.from(l)));
    if (!(residual <= maxRankOne) || !(left > 1e-6 * all)) continue;
    best = { row, flips, margin, rankOneResidual: residual };
  }
  return best;
}

/** Leading right singular vector of the m x n matrix with rows R (unit), and sigma_2 / sigma_1. */
function principalRow(R: Float64Array[], n: number): { row: Float64Array; residual: number } {
  // Gram matrix G = R R^T (m x m, small): its top eigenvector gives the row as R^T v.
  const m = R.length, G = new Float64Array(m * m);
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) for (let i = 0; i < n; i++) G[p * m + q] += R[p][i] * R[q][i];
  let v = new Float64Array(m).fill(1 / Math.sqrt(m));
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(m);
    for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) w[p] += G[p * m + q] * v[q];
    const wn = hypot(w);
    if (!(wn > 0)) break;
    v = w.map((x) => x / wn);
  }
  const row = new Float64Array(n);
  for (let p = 0; p < m; p++) for (let i = 0; i < n; i++) row[i] += v[p] * R[p][i];
  const s1 = hypot(row);
  let rest = 0, total = 0;
  for (let p = 0; p < m; p++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += R[p][i] * row[i];
    c /= s1 * s1;
    for (let i = 0; i < n; i++) rest += (R[p][i] - c * row[i]) ** 2;
    for (let i = 0; i < n; i++) total += R[p][i] ** 2;
  }
  return { row: row.map((x) => x / s1), residual: Math.sqrt(rest / Math.max(total, 1e-300)) };
}
