import t from 'tap';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { nullVector, solveLeastSquares } from '../src/index.js';

// The hand-written SVD must give ml-matrix's bits (results of whole runs depend on them), so the
// reference here is ml-matrix itself, used the way leastSquares.ts used it before: tolerance 0.

/** A small deterministic generator (mulberry32): no dependency on @relurec/random. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** Random matrices of the shapes and defects the recovery meets: ReLU zeros, rank loss, repeated rows, zero columns, wide scales. */
function cases(): { name: string; A: Float64Array; rows: number; cols: number }[] {
  const out: { name: string; A: Float64Array; rows: number; cols: number }[] = [];
  const shapes = [[1, 1], [3, 1], [1, 4], [2, 3], [5, 5], [12, 7], [7, 12], [31, 31], [64, 31], [48, 41], [20, 40], [11, 10]];
  let seed = 1;
  for (const [rows, cols] of shapes) {
    for (const defect of ['dense', 'relu', 'rank', 'repeat', 'zeroColumn', 'scaled'] as const) {
      const rnd = generator(seed++);
      const A = Float64Array.from({ length: rows * cols }, () => rnd());
      if (defect === 'relu') A.forEach((v, i) => (A[i] = Math.max(0, v)));
      if (defect === 'rank' && rows > 1 && cols > 1) {
        // last column a combination of the first two: an exact null vector
        for (let r = 0; r < rows; r++) A[r * cols + cols - 1] = 0.3 * A[r * cols] - 1.7 * A[r * cols + 1];
      }
      if (defect === 'repeat' && rows > 1) A.copyWithin(cols, 0, cols);
      if (defect === 'zeroColumn') for (let r = 0; r < rows; r++) A[r * cols] = 0;
      if (defect === 'scaled') for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[r * cols + c] *= 10 ** ((r % 7) - 3);
      out.push({ name: `${rows} x ${cols} ${defect}`, A, rows, cols });
    }
  }
  out.push({ name: '3 x 3 zeros', A: new Float64Array(9), rows: 3, cols: 3 });
  return out;
}

function toMatrix(A: Float64Array, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) M.set(r, c, A[r * cols + c]);
  return M;
}

/** nullVector as it was written over ml-matrix. */
function referenceNullVector(A: Float64Array, rows: number, cols: number) {
  let M = toMatrix(A, rows, cols);
  if (rows < cols) {
    const P = Matrix.zeros(cols, cols);
    P.setSubMatrix(M, 0, 0);
    M = P;
  }
  const svd = new SingularValueDecomposition(M, { computeLeftSingularVectors: false });
  const V = svd.rightSingularVectors;
  return { vector: Float64Array.from({ length: cols }, (_, j) => V.get(j, cols - 1)), singularValues: Float64Array.from(svd.diagonal) };
}

/** solveLeastSquares as it was written over ml-matrix. */
function referenceLeastSquares(A: Float64Array, rows: number, cols: number, b: Float64Array, rcond: number) {
  const svd = new SingularValueDecomposition(toMatrix(A, rows, cols), { autoTranspose: true });
  const s = svd.diagonal, U = svd.leftSingularVectors, V = svd.rightSingularVectors;
  const x = new Float64Array(cols);
  const cut = rcond * (s[0] ?? 0);
  for (let k = 0; k < s.length; k++) {
    if (!(s[k] > cut)) continue;
    let ub = 0;
    for (let r = 0; r < rows; r++) ub += U.get(r, k) * b[r];
    const c = ub / s[k];
    for (let j = 0; j < cols; j++) x[j] += c * V.get(j, k);
  }
  return { x, singularValues: Float64Array.from(s) };
}

/** Same bits, -0 and NaN included. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

t.test('singular value decomposition - nullVector gives ml-matrix\'s bits on tall, wide, square and defective matrices', async (t) => {
  for (const { name, A, rows, cols } of cases()) {
    const got = nullVector(A, rows, cols), want = referenceNullVector(A, rows, cols);
    t.ok(sameBits(got.vector, want.vector) && sameBits(got.singularValues, want.singularValues), name);
  }
});

t.test('singular value decomposition - solveLeastSquares gives ml-matrix\'s bits, also where it transposes (fewer rows than columns)', async (t) => {
  for (const { name, A, rows, cols } of cases()) {
    const rnd = generator(rows * 1000 + cols);
    const b = Float64Array.from({ length: rows }, () => rnd());
    for (const rcond of [1e-14, 1e-12]) {
      const got = solveLeastSquares(A, rows, cols, b, rcond), want = referenceLeastSquares(A, rows, cols, b, rcond);
      t.ok(sameBits(got.x, want.x) && sameBits(got.singularValues, want.singularValues), `${name}, rcond ${rcond}`);
    }
  }
});

t.test('singular value decomposition - an empty matrix is refused as ml-matrix refuses it', async (t) => {
  t.throws(() => nullVector(new Float64Array(0), 3, 0), /non-empty/);
  t.throws(() => solveLeastSquares(new Float64Array(0), 0, 2, new Float64Array(0)), /non-empty/);
});
