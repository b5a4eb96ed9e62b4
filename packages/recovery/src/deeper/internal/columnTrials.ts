/**
 * The output fit of fillUnseenWeights (least squares of y on [h^L, 1]) as one weight (z, j) of the
 * last hidden layer takes trial values: only feature column z changes,
 * f_r = ReLU(zeta_z(x_r) + (v - W_zj) h_j(x_r)), so the Gram matrix F'F and F'y change only in row
 * and column z. A trial costs O(rows x cols) instead of a forward pass through every layer and an
 * SVD of the rows x cols features.
 */
export interface ColumnTrials {
  /**
   * RMS of y - y^ over samples and outputs, relative to the largest |y| (fitOutputLayer's
   * rmsResidual), with weight (neuron, input) at `value` and every other weight as committed.
   * Solved by normal equations: the least-squares solution loses cond^2 but the residual, computed
   * explicitly, only about cond x 1e-16 (relative). Good for bracketing a minimum; not exact.
   */
  residual(neuron: number, input: number, value: number): number;
  /** Sets weight (neuron, input) to `value` (in the weights array given too) for later trials. */
  commit(neuron: number, input: number, value: number): void;
}

/**
 * Pivots below this fraction of their column's squared norm (sin^2 of the column's angle to the
 * columns before it) are dropped: the column is, to rounding, in their span (a neuron dead on every
 * sample gives a zero column) and least squares on the others has the same residual.
 */
const DROP_PIVOT = 1e-14;

/**
 * `H` is row-major rows x n: the activations of layer L-1 on the samples (the inputs when L = 1).
 * `W` (nL x n, row-major) and `b` are the last hidden layer; `W` is updated in place by commit.
 */
export function columnTrials(H: Float64Array, rows: number, n: number, W: Float64Array, b: Float64Array, ys: readonly Float64Array[]): ColumnTrials {
  const nL = b.length, c = nL + 1, m = ys[0].length;
  // Column-major copies: every hot loop below runs down one column.
  const Hc = Array.from({ length: n }, (_, j) => Float64Array.from({ length: rows }, (_, r) => H[r * n + j]));
  const Yc = Array.from({ length: m }, (_, o) => Float64Array.from(ys, (y) => y[o]));
  let scale = 0;
  for (const y of Yc) for (let r = 0; r < rows; r++) scale = Math.max(scale, Math.abs(y[r]));
  const Zc = Array.from({ length: nL }, () => new Float64Array(rows));
  const Fc = Array.from({ length: c }, () => new Float64Array(rows));
  Fc[nL].fill(1);
  const setColumn = (z: number) => {
    const zeta = Zc[z], col = Fc[z];
    zeta.fill(b[z]);
    for (let j = 0; j < n; j++) {
      const w = W[z * n + j], h = Hc[j];
      if (w !== 0) for (let r = 0; r < rows; r++) zeta[r] += w * h[r];
    }
    for (let r = 0; r < rows; r++) col[r] = zeta[r] > 0 ? zeta[r] : 0;
  };
  const G = new Float64Array(c * c), Gy = new Float64Array(c * m);
  // Row/column k of the Gram matrix and F'y for column values `col`, written into (Gt, Gyt).
  const gramRow = (k: number, col: Float64Array, Gt: Float64Array, Gyt: Float64Array) => {
    const others = Fc.map((other, p) => (p === k ? col : other));
    for (let p = 0; p < c; p += 4) {
      const four = dots4(col, others[p], others[p + 1] ?? col, others[p + 2] ?? col, others[p + 3] ?? col, rows);
      for (let q = p; q < Math.min(p + 4, c); q++) {
        Gt[k * c + q] = four[q - p];
        Gt[q * c + k] = four[q - p];
      }
    }
    for (let o = 0; o < m; o++) Gyt[k * m + o] = dot(col, Yc[o], rows);
  };
  for (let z = 0; z < nL; z++) setColumn(z);
  for (let k = 0; k < c; k++) gramRow(k, Fc[k], G, Gy);

  const Gt = new Float64Array(c * c), Gyt = new Float64Array(c * m), Lc = new Float64Array(c * c), U = new Float64Array(c * m);
  const f = new Float64Array(rows), e = new Float64Array(rows);
  return {
    residual(z, j, v) {
      const d = v - W[z * n + j], zeta = Zc[z], h = Hc[j];
      for (let r = 0; r < rows; r++) {
        const t = zeta[r] + d * h[r];
        f[r] = t > 0 ? t : 0;
      }
      Gt.set(G);
      Gyt.set(Gy);
      gramRow(z, f, Gt, Gyt);
      solveNormalEquations(Gt, Gyt, c, m, Lc, U);
      let sq = 0;
      for (let o = 0; o < m; o++) {
        e.set(Yc[o]);
        for (let k = 0; k < c; k += 4) {
          const col = (q: number) => (q === z ? f : q < c ? Fc[q] : f);
          const u = (q: number) => (q < c ? U[q * m + o] : 0);
          subtract4(e, col(k), col(k + 1), col(k + 2), col(k + 3), u(k), u(k + 1), u(k + 2), u(k + 3), rows);
        }
        sq += dot(e, e, rows);
      }
      return Math.sqrt(sq / (rows * m)) / Math.max(scale, 1e-300);
    },
    commit(z, j, v) {
      W[z * n + j] = v;
      setColumn(z);
      gramRow(z, Fc[z], G, Gy);
    },
  };
}

const four = new Float64Array(4);

/**
 * (a.b, a.c, a.d, a.e) over the first `len` entries, in `four` (overwritten by the next call).
 * Four columns a pass and two chains each: V8 does not vectorise, so a single dot product is
 * bound by the add latency; this loads `a` once for four products.
 */
function dots4(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, e: Float64Array, len: number): Float64Array {
  let sb = 0, sc = 0, sd = 0, se = 0, tb = 0, tc = 0, td = 0, te = 0;
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const x = a[i], y = a[i + 1];
    sb += x * b[i]; sc += x * c[i]; sd += x * d[i]; se += x * e[i];
    tb += y * b[i + 1]; tc += y * c[i + 1]; td += y * d[i + 1]; te += y * e[i + 1];
  }
  if (i < len) {
    const x = a[i];
    sb += x * b[i]; sc += x * c[i]; sd += x * d[i]; se += x * e[i];
  }
  four[0] = sb + tb; four[1] = sc + tc; four[2] = sd + td; four[3] = se + te;
  return four;
}

/** a.b over the first `len` entries, in two chains. */
function dot(a: Float64Array, b: Float64Array, len: number): number {
  let s = 0, t = 0, i = 0;
  for (; i + 2 <= len; i += 2) {
    s += a[i] * b[i];
    t += a[i + 1] * b[i + 1];
  }
  if (i < len) s += a[i] * b[i];
  return s + t;
}

/** r -= ua a + ub b + uc c + ud d over the first `len` entries. */
function subtract4(r: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, ua: number, ub: number, uc: number, ud: number, len: number): void {
  for (let i = 0; i < len; i++) r[i] -= ua * a[i] + ub * b[i] + uc * c[i] + ud * d[i];
}

/**
 * Solves G U = B (G: c x c symmetric positive semidefinite, B: c x m) by Cholesky, with a column
 * whose pivot is below DROP_PIVOT of its diagonal left out (its unknowns 0). Hand-written over
 * Float64Array: it runs once per trial, thousands of times per fill, on a ~20 x 20 system, where
 * ml-matrix's per-call objects cost more than the arithmetic, and ml-matrix's Cholesky throws on
 * a semidefinite matrix instead of dropping the dependent column. L (c x c) and U are scratch/out.
 */
function solveNormalEquations(G: Float64Array, B: Float64Array, c: number, m: number, L: Float64Array, U: Float64Array): void {
  L.fill(0);
  for (let k = 0; k < c; k++) {
    let s = G[k * c + k];
    for (let p = 0; p < k; p++) s -= L[k * c + p] * L[k * c + p];
    if (!(s > DROP_PIVOT * G[k * c + k])) continue;
    const d = Math.sqrt(s);
    L[k * c + k] = d;
    for (let i = k + 1; i < c; i++) {
      let t = G[i * c + k];
      for (let p = 0; p < k; p++) t -= L[i * c + p] * L[k * c + p];
      L[i * c + k] = t / d;
    }
  }
  for (let o = 0; o < m; o++) {
    // Forward (L w = B), then back (L' u = w) substitution; dropped columns (zero pivot) stay 0.
    for (let k = 0; k < c; k++) {
      const d = L[k * c + k];
      if (d === 0) { U[k * m + o] = 0; continue; }
      let t = B[k * m + o];
      for (let p = 0; p < k; p++) t -= L[k * c + p] * U[p * m + o];
      U[k * m + o] = t / d;
    }
    for (let k = c - 1; k >= 0; k--) {
      const d = L[k * c + k];
      if (d === 0) { U[k * m + o] = 0; continue; }
      let t = U[k * m + o];
      for (let p = k + 1; p < c; p++) t -= L[p * c + k] * U[p * m + o];
      U[k * m + o] = t / d;
    }
  }
}
