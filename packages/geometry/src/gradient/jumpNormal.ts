export interface JumpNormal {
  /** Unit normal of the boundary, oriented so that normal . crossing > 0 when a crossing is given. */
  normal: Float64Array;
  /** Per output o: the jump of d y_o / d x along the normal, i.e. dJ = jump (outer) normal. */
  jump: Float64Array;
  /** ||dJ - jump normal^T||_F / ||dJ||_F: 0 for an exact rank-one jump (a free consistency check). */
  rankOneResidual: number;
}

/**
 * The boundary normal from the Jacobians on both sides of a kink (ALGORITHM.md 2.4): the jump
 * dJ = JB - JA is rank one, (d y / d h_z) (outer) grad zeta_z, so its row space is the normal.
 * Starts from the largest row and takes one power step, which is exact for a rank-one jump.
 */
export function jumpNormal(JA: Float64Array, JB: Float64Array, outputDim: number, inputDim: number, crossing?: Float64Array): JumpNormal {
  const m = outputDim, n = inputDim;
  const dJ = new Float64Array(m * n);
  for (let k = 0; k < dJ.length; k++) dJ[k] = JB[k] - JA[k];
  let best = 0, bestNorm = -1;
  for (let o = 0; o < m; o++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += dJ[o * n + i] ** 2;
    if (s > bestNorm) { bestNorm = s; best = o; }
  }
  if (!(bestNorm > 0)) throw new RangeError('the Jacobians are equal: no boundary between them');
  let v = dJ.slice(best * n, (best + 1) * n);
  // one power step: v <- dJ^T dJ v
  const w = new Float64Array(m);
  for (let o = 0; o < m; o++) { let s = 0; for (let i = 0; i < n; i++) s += dJ[o * n + i] * v[i]; w[o] = s; }
  v = new Float64Array(n);
  for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) v[i] += w[o] * dJ[o * n + i];
  let nv = Math.hypot(...v);
  for (let i = 0; i < n; i++) v[i] /= nv;
  if (crossing) {
    let c = 0;
    for (let i = 0; i < n; i++) c += v[i] * crossing[i];
    if (c < 0) for (let i = 0; i < n; i++) v[i] = -v[i];
  }
  const jump = new Float64Array(m);
  let res = 0, tot = 0;
  for (let o = 0; o < m; o++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += dJ[o * n + i] * v[i];
    jump[o] = s;
    for (let i = 0; i < n; i++) { res += (dJ[o * n + i] - s * v[i]) ** 2; tot += dJ[o * n + i] ** 2; }
  }
  nv = Math.sqrt(res / tot);
  return { normal: v, jump, rankOneResidual: nv };
}
