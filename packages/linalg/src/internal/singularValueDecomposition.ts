/** Singular values and vectors of an m x n working matrix, in the storage the routine built them in. */
export interface SvdParts {
  /** Singular values, descending; min(m + 1, n) entries (the last is 0 when m < n). */
  s: Float64Array;
  /** Left singular vectors as rows: row k (m values) is u_k; min(m, n) rows. Undefined unless wanted. */
  ut?: Float64Array;
  /** Right singular vectors as rows: row k (n values) is v_k; n rows. Undefined unless wanted. */
  vt?: Float64Array;
}

/**
 * ml-matrix 6.15.1's SingularValueDecomposition (JAMA's Golub-Kahan bidiagonalisation and
 * implicit-shift QR), line for line over flat Float64Arrays: the same operations in the same order,
 * so the same bits. Why hand-written: the recovery solves thousands of ~60 x 30 point systems
 * per run, and there ml-matrix's copies in and out and its per-element get/set cost as much as
 * the arithmetic (a third of the run's SVD time).
 *
 * `at` holds the transpose of the m x n working matrix (n rows of m values: at[j * m + i] is
 * a_ij) and is overwritten. Callers that want ml-matrix's autoTranspose pass the transpose
 * themselves and swap u and v. The steps are separate functions: as one 250-line function TurboFan
 * took ~55 ms to compile it, and recompiled it a dozen times a run (each thread, after deopts).
 */
export function singularValueDecomposition(at: Float64Array, m: number, n: number, wantu: boolean, wantv: boolean): SvdParts {
  if (m === 0 || n === 0) throw new Error('Matrix must be non-empty');
  if (at.length !== m * n) throw new RangeError(`at has ${at.length} values, expected ${n} x ${m}`);
  const nu = Math.min(m, n);
  const s = new Float64Array(Math.min(m + 1, n));
  // U and V are built transposed, as in ml-matrix: U[j * m + i] is u_i of vector j, V[j * n + i] likewise.
  const U = wantu ? new Float64Array(nu * m) : undefined;
  const V = wantv ? new Float64Array(n * n) : undefined;
  const e = new Float64Array(n);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  bidiagonalize(at, m, n, s, e, U, V, nct, nrt);

  const p = Math.min(n, m + 1);
  if (nct < n) s[nct] = at[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt];
  e[p - 1] = 0;

  if (U) formLeft(U, m, nu, nct, s);
  if (V) formRight(V, n, nrt, e);
  diagonalize(s, e, U, V, m, n, p);
  return { s, ...(U ? { ut: U } : {}), ...(V ? { vt: V } : {}) };
}

/** Householder reduction to bidiagonal form: the diagonal into s, the superdiagonal into e, the reflectors into U and V. */
function bidiagonalize(at: Float64Array, m: number, n: number, s: Float64Array, e: Float64Array, U: Float64Array | undefined, V: Float64Array | undefined, nct: number, nrt: number): void {
  const work = new Float64Array(m);
  const mrc = Math.max(nct, nrt);
  for (let k = 0; k < mrc; k++) {
    const km = k * m;
    if (k < nct) {
      s[k] = 0;
      for (let i = k; i < m; i++) s[k] = hypotenuse(s[k], at[km + i]);
      if (s[k] !== 0) {
        if (at[km + k] < 0) s[k] = -s[k];
        for (let i = k; i < m; i++) at[km + i] = at[km + i] / s[k];
        at[km + k] = at[km + k] + 1;
      }
      s[k] = -s[k];
    }

    for (let j = k + 1; j < n; j++) {
      const jm = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += at[km + i] * at[jm + i];
        t = -t / at[km + k];
        for (let i = k; i < m; i++) at[jm + i] = at[jm + i] + t * at[km + i];
      }
      e[j] = at[jm + k];
    }

    if (U && k < nct) {
      for (let i = k; i < m; i++) U[km + i] = at[km + i];
    }

    if (k < nrt) {
      e[k] = 0;
      for (let i = k + 1; i < n; i++) e[k] = hypotenuse(e[k], e[i]);
      if (e[k] !== 0) {
        if (e[k + 1] < 0) e[k] = 0 - e[k];
        for (let i = k + 1; i < n; i++) e[i] /= e[k];
        e[k + 1] += 1;
      }
      e[k] = -e[k];
      if (k + 1 < m && e[k] !== 0) {
        for (let i = k + 1; i < m; i++) work[i] = 0;
        for (let i = k + 1; i < m; i++) {
          for (let j = k + 1; j < n; j++) work[i] += e[j] * at[j * m + i];
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j] / e[k + 1];
          const jm = j * m;
          for (let i = k + 1; i < m; i++) at[jm + i] = at[jm + i] + t * work[i];
        }
      }
      if (V) {
        for (let i = k + 1; i < n; i++) V[k * n + i] = e[i];
      }
    }
  }
}

/** The left vectors from their Householder reflectors (rows of U, transposed storage). */
function formLeft(U: Float64Array, m: number, nu: number, nct: number, s: Float64Array): void {
  for (let j = nct; j < nu; j++) {
    for (let i = 0; i < m; i++) U[j * m + i] = 0;
    U[j * m + j] = 1;
  }
  for (let k = nct - 1; k >= 0; k--) {
    const km = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const jm = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += U[km + i] * U[jm + i];
        t = -t / U[km + k];
        for (let i = k; i < m; i++) U[jm + i] = U[jm + i] + t * U[km + i];
      }
      for (let i = k; i < m; i++) U[km + i] = -U[km + i];
      U[km + k] = 1 + U[km + k];
      for (let i = 0; i < k - 1; i++) U[km + i] = 0;
    } else {
      for (let i = 0; i < m; i++) U[km + i] = 0;
      U[km + k] = 1;
    }
  }
}

/** The right vectors from their Householder reflectors (rows of V, transposed storage). */
function formRight(V: Float64Array, n: number, nrt: number, e: Float64Array): void {
  for (let k = n - 1; k >= 0; k--) {
    const kn = k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < n; j++) {
        const jn = j * n;
        let t = 0;
        for (let i = k + 1; i < n; i++) t += V[kn + i] * V[jn + i];
        t = -t / V[kn + k + 1];
        for (let i = k + 1; i < n; i++) V[jn + i] = V[jn + i] + t * V[kn + i];
      }
    }
    for (let i = 0; i < n; i++) V[kn + i] = 0;
    V[kn + k] = 1;
  }
}

/** Implicit-shift QR on the bidiagonal (s, e) down to the ordered singular values, rotating U and V along. */
function diagonalize(s: Float64Array, e: Float64Array, U: Float64Array | undefined, V: Float64Array | undefined, m: number, n: number, p: number): void {
  const pp = p - 1;
  const eps = Number.EPSILON;
  while (p > 0) {
    let k: number, kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + eps * Math.abs(s[k] + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3;
      } else if (ks === p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }

    k++;

    if (kase === 1) deflate(s, e, V, n, k, p);
    else if (kase === 2) split(s, e, U, m, k, p);
    else if (kase === 3) qrStep(s, e, U, V, m, n, k, p);
    else {
      convergeValue(s, U, V, m, n, k, pp);
      p--;
    }
  }
}

/** Case 1 (s[p-1] negligible): chase e[p-2] up with rotations of V. */
function deflate(s: Float64Array, e: Float64Array, V: Float64Array | undefined, n: number, k: number, p: number): void {
  let f = e[p - 2];
  e[p - 2] = 0;
  for (let j = p - 2; j >= k; j--) {
    const t = hypotenuse(s[j], f);
    const cs = s[j] / t;
    const sn = f / t;
    s[j] = t;
    if (j !== k) {
      f = -sn * e[j - 1];
      e[j - 1] = cs * e[j - 1];
    }
    if (V) rotateRows(V, j * n, (p - 1) * n, n, cs, sn);
  }
}

/** Case 2 (s[k-1] negligible): split at it, chasing e[k-1] down with rotations of U. */
function split(s: Float64Array, e: Float64Array, U: Float64Array | undefined, m: number, k: number, p: number): void {
  let f = e[k - 1];
  e[k - 1] = 0;
  for (let j = k; j < p; j++) {
    const t = hypotenuse(s[j], f);
    const cs = s[j] / t;
    const sn = f / t;
    s[j] = t;
    f = -sn * e[j];
    e[j] = cs * e[j];
    if (U) rotateRows(U, j * m, (k - 1) * m, m, cs, sn);
  }
}

/** Case 3: one implicit-shift QR step on the block k..p-1. */
function qrStep(s: Float64Array, e: Float64Array, U: Float64Array | undefined, V: Float64Array | undefined, m: number, n: number, k: number, p: number): void {
  const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
  const sp = s[p - 1] / scale;
  const spm1 = s[p - 2] / scale;
  const epm1 = e[p - 2] / scale;
  const sk = s[k] / scale;
  const ek = e[k] / scale;
  const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
  const c = sp * epm1 * (sp * epm1);
  let shift = 0;
  if (b !== 0 || c !== 0) {
    if (b < 0) shift = 0 - Math.sqrt(b * b + c);
    else shift = Math.sqrt(b * b + c);
    shift = c / (b + shift);
  }
  let f = (sk + sp) * (sk - sp) + shift;
  let g = sk * ek;
  for (let j = k; j < p - 1; j++) {
    let t = hypotenuse(f, g);
    if (t === 0) t = Number.MIN_VALUE;
    let cs = f / t;
    let sn = g / t;
    if (j !== k) e[j - 1] = t;
    f = cs * s[j] + sn * e[j];
    e[j] = cs * e[j] - sn * s[j];
    g = sn * s[j + 1];
    s[j + 1] = cs * s[j + 1];
    if (V) rotateRows(V, j * n, (j + 1) * n, n, cs, sn);
    t = hypotenuse(f, g);
    if (t === 0) t = Number.MIN_VALUE;
    cs = f / t;
    sn = g / t;
    s[j] = t;
    f = cs * e[j] + sn * s[j + 1];
    s[j + 1] = -sn * e[j] + cs * s[j + 1];
    g = sn * e[j + 1];
    e[j + 1] = cs * e[j + 1];
    if (U && j < m - 1) rotateRows(U, j * m, (j + 1) * m, m, cs, sn);
  }
  e[p - 2] = f;
}

/** Case 4 (converged): s[k] made non-negative and moved to its place in descending order. */
function convergeValue(s: Float64Array, U: Float64Array | undefined, V: Float64Array | undefined, m: number, n: number, k: number, pp: number): void {
  if (s[k] <= 0) {
    s[k] = s[k] < 0 ? -s[k] : 0;
    if (V) {
      const kn = k * n;
      for (let i = 0; i <= pp; i++) V[kn + i] = -V[kn + i];
    }
  }
  while (k < pp) {
    if (s[k] >= s[k + 1]) break;
    const t = s[k];
    s[k] = s[k + 1];
    s[k + 1] = t;
    if (V && k < n - 1) swapRows(V, k * n, (k + 1) * n, n);
    if (U && k < m - 1) swapRows(U, k * m, (k + 1) * m, m);
    k++;
  }
}

/** The Givens rotation of rows a and b (offsets, len values each) of M, in ml-matrix's order of operations. */
function rotateRows(M: Float64Array, a: number, b: number, len: number, cs: number, sn: number): void {
  for (let i = 0; i < len; i++) {
    const t = cs * M[a + i] + sn * M[b + i];
    M[b + i] = -sn * M[a + i] + cs * M[b + i];
    M[a + i] = t;
  }
}

function swapRows(M: Float64Array, a: number, b: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const t = M[b + i];
    M[b + i] = M[a + i];
    M[a + i] = t;
  }
}

/** sqrt(a^2 + b^2) without overflow, as ml-matrix computes it (the same bits). */
function hypotenuse(a: number, b: number): number {
  let r = 0;
  if (Math.abs(a) > Math.abs(b)) {
    r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}
