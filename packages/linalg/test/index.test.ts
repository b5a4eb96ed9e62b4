import t from 'tap';
import * as api from '../src/index.js';

// The public API of @relurec/linalg (values; types are checked by the compiler): changing this list is an API change.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(api).sort(), ["addScaled","choleskyInPlace","dot","hypot","leastSquaresSolver","maxAbs","minNormSolver","norm","normalize","nullVector","pseudoInverse","scale","solveCholesky","solveLeastSquares","solveMinNorm","subtract"]);
});
