import t from 'tap';
import { choleskyInPlace, solveCholesky } from '../src/index.js';

t.test('cholesky - the factor of a hand-computed matrix and a solve', async (t) => {
  // A = [[4, 2, 2], [2, 5, 3], [2, 3, 6]] = L L^T with L = [[2, 0, 0], [1, 2, 0], [1, 1, 2]].
  const A = Float64Array.of(4, 0, 0, 2, 5, 0, 2, 3, 6);
  const L = choleskyInPlace(A, 3);
  t.same(Array.from([L[0], L[3], L[4], L[6], L[7], L[8]]), [2, 1, 2, 1, 1, 2], 'lower factor');
  // A x = b for x = (1, -1, 2): b = (6, 3, 11).
  t.same(Array.from(solveCholesky(L, 3, [6, 3, 11])), [1, -1, 2], 'solve');
});

t.test('cholesky - a matrix that is not positive definite is named', async (t) => {
  t.throws(() => choleskyInPlace(Float64Array.of(1, 0, 2, 1), 2), /pivot 1 is -3/);
  t.throws(() => choleskyInPlace(Float64Array.of(1, 0, 0, 1e-12), 2, 1e-10), /not above 1e-10/);
});
