import { createRequire } from 'node:module';
import type * as MlMatrix from 'ml-matrix';
import { singularValueDecomposition } from './internal/singularValueDecomposition.js';

// ml-matrix (off the hot path: pseudoInverse, minNormSolver) is required on first use, as CommonJS:
// imported as ESM, Node runs its export lexer over the 150 KB bundle in every thread at startup
// (~40 ms of CPU each, and TurboFan compiles the lexer), threads that may never use it included.
const require = createRequire(import.meta.url);
let ml: typeof MlMatrix | undefined;
const mlMatrix = (): typeof MlMatrix => (ml ??= require('ml-matrix') as typeof MlMatrix);

/**
 * Least-squares solution of A x = b for a row-major A (rows x cols) via SVD (ml-matrix's, bit for
 * bit, over Float64Array: see internal/singularValueDecomposition). Returns x, the residual norm and
 * the singular values (descending) so callers can judge conditioning. Singular values below
 * rcond * sigma_max are treated as zero.
 */
export function solveLeastSquares(
  A: Float64Array,
  rows: number,
  cols: number,
  b: Float64Array,
  rcond = 1e-14,
): { x: Float64Array; residual: number; singularValues: Float64Array } {
  if (A.length !== rows * cols) throw new RangeError(`A has ${A.length} values, expected ${rows} x ${cols}`);
  if (b.length !== rows) throw new RangeError(`b has ${b.length} values, expected ${rows}`);
  return leastSquaresSolver(A, rows, cols, rcond)(b);
}

/**
 * solveLeastSquares with the SVD done once: the returned function solves A x = b for any b, each
 * answer bit for bit what solveLeastSquares(A, rows, cols, b, rcond) returns. For callers with
 * several right-hand sides on one matrix (a covariance diagonal takes one per unknown).
 */
export function leastSquaresSolver(
  A: Float64Array,
  rows: number,
  cols: number,
  rcond = 1e-14,
): (b: Float64Array) => { x: Float64Array; residual: number; singularValues: Float64Array } {
  if (A.length !== rows * cols) throw new RangeError(`A has ${A.length} values, expected ${rows} x ${cols}`);
  // ml-matrix's autoTranspose: the SVD runs on the taller of A and A^T (the routine takes the
  // working matrix transposed), and u and v swap places when that is A^T.
  const swapped = rows < cols;
  const { s, ut, vt } = swapped ? singularValueDecomposition(A.slice(), cols, rows, true, true) : singularValueDecomposition(transpose(A, rows, cols), rows, cols, true, true);
  // Rows of `left` are the left singular vectors of A (length rows), rows of `right` the right ones (length cols).
  const left = swapped ? vt! : ut!, right = swapped ? ut! : vt!;
  const cut = rcond * (s[0] ?? 0);
  return (b) => {
    if (b.length !== rows) throw new RangeError(`b has ${b.length} values, expected ${rows}`);
    const x = new Float64Array(cols);
    for (let k = 0; k < s.length; k++) {
      if (!(s[k] > cut)) continue;
      let ub = 0;
      for (let r = 0; r < rows; r++) ub += left[k * rows + r] * b[r];
      const c = ub / s[k];
      for (let j = 0; j < cols; j++) x[j] += c * right[k * cols + j];
    }
    let res = 0;
    for (let r = 0; r < rows; r++) {
      let v = -b[r];
      for (let j = 0; j < cols; j++) v += A[r * cols + j] * x[j];
      res += v * v;
    }
    return { x, residual: Math.sqrt(res), singularValues: s.slice() };
  };
}

/**
 * The right singular vector of the smallest singular value of A (rows x cols), i.e. the best
 * unit x with A x ~ 0, with the full singular spectrum (descending) for closure/pinning tests
 * (ml-matrix's SVD, bit for bit, over Float64Array: every trace solves thousands of these).
 */
export function nullVector(A: Float64Array, rows: number, cols: number): { vector: Float64Array; singularValues: Float64Array } {
  if (A.length !== rows * cols) throw new RangeError(`A has ${A.length} values, expected ${rows} x ${cols}`);
  // Fewer rows than columns: padded with zero rows so the SVD returns a full right basis.
  const m = Math.max(rows, cols);
  const at = new Float64Array(cols * m);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) at[c * m + r] = A[r * cols + c];
  const { s, vt } = singularValueDecomposition(at, m, cols, false, true);
  return { vector: vt!.slice((cols - 1) * cols, cols * cols), singularValues: s };
}

/** A^T of a row-major A (rows x cols), row-major. */
function transpose(A: Float64Array, rows: number, cols: number): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) T[c * rows + r] = A[r * cols + c];
  return T;
}

function toMatrix(A: Float64Array, rows: number, cols: number): MlMatrix.Matrix {
  const M = new (mlMatrix().Matrix)(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) M.set(r, c, A[r * cols + c]);
  return M;
}

/** Moore-Penrose pseudo-inverse of a row-major A (rows x cols), returned row-major cols x rows. */
export function pseudoInverse(A: Float64Array, rows: number, cols: number): Float64Array {
  const P = mlMatrix().pseudoInverse(toMatrix(A, rows, cols));
  const out = new Float64Array(cols * rows);
  for (let i = 0; i < cols; i++) for (let r = 0; r < rows; r++) out[i * rows + r] = P.get(i, r);
  return out;
}

/**
 * Minimum-norm solution x = A^T (A A^T)^-1 b of an under-determined A x = b (row-major A, rows <=
 * cols, full row rank) through the Cholesky factor of the rows x rows Gram matrix (ml-matrix).
 * Why not solveLeastSquares: an SVD of a 128 x 784 matrix costs ~0.3 s in ml-matrix, the Gram
 * route a few ms, and wide layers project onto flats hundreds of times. Squaring the condition
 * number is fine for the well-conditioned systems it is used on; undefined when A A^T is not
 * positive definite (dependent rows): the caller then falls back to solveLeastSquares.
 */
export function solveMinNorm(A: Float64Array, rows: number, cols: number, b: Float64Array): Float64Array | undefined {
  if (b.length !== rows) throw new RangeError(`b has ${b.length} values, expected ${rows}`);
  return minNormSolver(A, rows, cols)?.(b);
}

/**
 * solveMinNorm with the factorisation done once: the returned function solves A x = b for any b
 * (undefined when A A^T is not positive definite, or when a solve is not finite).
 */
export function minNormSolver(A: Float64Array, rows: number, cols: number): ((b: Float64Array) => Float64Array | undefined) | undefined {
  if (A.length !== rows * cols) throw new RangeError(`A has ${A.length} values, expected ${rows} x ${cols}`);
  // Hand-written Gram product: rows^2 cols multiply-adds over Float64Array (the hot part).
  const { CholeskyDecomposition, Matrix } = mlMatrix();
  const G = new Matrix(rows, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c <= r; c++) {
      let s = 0;
      for (let j = 0, ro = r * cols, co = c * cols; j < cols; j++) s += A[ro + j] * A[co + j];
      G.set(r, c, s);
      G.set(c, r, s);
    }
  }
  const chol = new CholeskyDecomposition(G);
  if (!chol.isPositiveDefinite()) return undefined;
  return (b) => {
    if (b.length !== rows) throw new RangeError(`b has ${b.length} values, expected ${rows}`);
    const y = chol.solve(Matrix.columnVector(Array.from(b)));
    const x = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const yr = y.get(r, 0);
      if (!Number.isFinite(yr)) return undefined;
      for (let j = 0, ro = r * cols; j < cols; j++) x[j] += yr * A[ro + j];
    }
    return x;
  };
}
