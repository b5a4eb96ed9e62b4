import t from 'tap';
import { leastSquaresSolver, solveLeastSquares, solveMinNorm, nullVector, pseudoInverse, normalize } from '../src/index.js';

t.test('least squares - an overdetermined consistent system is solved to 1e-14', async (t) => {
  // A = [[1,0],[0,1],[1,1]], x = (2, -3) -> b = (2, -3, -1): exact by construction
  const A = Float64Array.of(1, 0, 0, 1, 1, 1);
  const { x, residual, singularValues } = solveLeastSquares(A, 3, 2, Float64Array.of(2, -3, -1));
  t.ok(Math.abs(x[0] - 2) < 1e-14 && Math.abs(x[1] + 3) < 1e-14, `x = ${Array.from(x)}`);
  t.ok(residual < 1e-14);
  // singular values of A: sqrt(3) and 1 (A^T A = [[2,1],[1,2]], eigenvalues 3 and 1)
  t.ok(Math.abs(singularValues[0] - Math.sqrt(3)) < 1e-14 && Math.abs(singularValues[1] - 1) < 1e-14);
  t.throws(() => solveLeastSquares(A, 2, 2, Float64Array.of(1, 2)), /expected 2 x 2/);
});

t.test('least squares - an inconsistent system gives the projection', async (t) => {
  // fit y = c to (1, 2, 6): c = mean = 3, residual sqrt(4 + 1 + 9)
  const { x, residual } = solveLeastSquares(Float64Array.of(1, 1, 1), 3, 1, Float64Array.of(1, 2, 6));
  t.ok(Math.abs(x[0] - 3) < 1e-14);
  t.ok(Math.abs(residual - Math.sqrt(14)) < 1e-13);
});

t.test('null vector - of a rank-deficient matrix, also with fewer rows than columns', async (t) => {
  // rows orthogonal to (1, -2, 1)
  const A = Float64Array.of(1, 1, 1, 2, 1, 0);
  const { vector, singularValues } = nullVector(A, 2, 3);
  const expected = normalize([1, -2, 1]);
  const cos = vector.reduce((s, v, i) => s + v * expected[i], 0);
  t.ok(Math.abs(Math.abs(cos) - 1) < 1e-14, `|cos| = ${Math.abs(cos)}`);
  t.equal(singularValues.length, 3);
  t.ok(singularValues[2] < 1e-14);
});

t.test('pseudo-inverse - of a full-column-rank matrix is a left inverse', async (t) => {
  const A = Float64Array.of(1, 0, 0, 1, 1, 1);
  const P = pseudoInverse(A, 3, 2); // 2 x 3
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    let s = 0;
    for (let r = 0; r < 3; r++) s += P[i * 3 + r] * A[r * 2 + j];
    t.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-14, `(P A)[${i}][${j}] = ${s}`);
  }
});

t.test('minimum-norm solve - exact on a constructed system, equal to the SVD solution, undefined for dependent rows', async (t) => {
  // x + y + z = 3 and x - y = 0: the minimum-norm solution is (1, 1, 1).
  const A = Float64Array.of(1, 1, 1, 1, -1, 0);
  const x = solveMinNorm(A, 2, 3, Float64Array.of(3, 0))!;
  t.same(Array.from(x, (v) => Math.round(v * 1e12) / 1e12), [1, 1, 1]);
  // A random 5 x 12 system: the same point as the SVD route, to rounding.
  const rows = 5, cols = 12;
  const B = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(0.37 * i * i + 1));
  const b = Float64Array.from({ length: rows }, (_, i) => Math.cos(i));
  const viaGram = solveMinNorm(B, rows, cols, b)!;
  const viaSvd = solveLeastSquares(B, rows, cols, b).x;
  t.ok(viaGram.every((v, i) => Math.abs(v - viaSvd[i]) < 1e-12), 'matches the SVD minimum-norm solution');
  t.equal(solveMinNorm(Float64Array.of(1, 2, 2, 4), 2, 2, Float64Array.of(1, 2)), undefined, 'dependent rows');
  t.throws(() => solveMinNorm(A, 3, 3, Float64Array.of(1, 2, 3)), /expected 3 x 3/);
});

t.test('least-squares solver - one SVD for many right-hand sides, each answer solveLeastSquares\'s bits', async (t) => {
  for (const [rows, cols] of [[7, 4], [4, 7], [5, 5]]) {
    const A = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(0.7 * i * i + 0.3));
    const solve = leastSquaresSolver(A, rows, cols, 1e-16);
    for (let k = 0; k < 3; k++) {
      const b = Float64Array.from({ length: rows }, (_, i) => Math.cos(i + 2 * k));
      const got = solve(b), want = solveLeastSquares(A, rows, cols, b, 1e-16);
      t.ok(got.x.every((v, i) => Object.is(v, want.x[i])) && Object.is(got.residual, want.residual), `${rows} x ${cols}, b ${k}`);
      t.same(got.singularValues, want.singularValues);
    }
    t.throws(() => solve(new Float64Array(rows + 1)), /expected/);
  }
});
