/**
 * In place: the lower Cholesky factor L (L L^T = A) of the symmetric matrix whose lower triangle
 * `A` holds (row-major n x n; the upper triangle is not read). Throws a RangeError when a pivot is
 * not above `minPivot` (A not positive definite to that margin). Hand-written over Float64Array:
 * the joint polish factors normal equations of a few thousand parameters, where this n^3 / 3 loop
 * is the cost (ml-matrix's CholeskyDecomposition took 9 s at n = 2200 against ~3 s here).
 */
export function choleskyInPlace(A: Float64Array, n: number, minPivot = 0): Float64Array {
  for (let r = 0; r < n; r++) {
    const rr = r * n;
    for (let c = 0; c <= r; c++) {
      const rc = c * n;
      let s = A[rr + c];
      for (let p = 0; p < c; p++) s -= A[rr + p] * A[rc + p];
      if (r === c) {
        if (!(s > minPivot)) throw new RangeError(`choleskyInPlace: pivot ${r} is ${s} (not above ${minPivot}): the matrix is not positive definite`);
        A[rr + r] = Math.sqrt(s);
      } else A[rr + c] = s / A[rc + c];
    }
  }
  return A;
}

/** Solves L L^T x = b with L from choleskyInPlace (row-major n x n, lower triangle). */
export function solveCholesky(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= L[i * n + p] * y[p];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < n; p++) s -= L[p * n + i] * y[p];
    y[i] = s / L[i * n + i];
  }
  return y;
}
