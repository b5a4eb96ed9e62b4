import t from 'tap';
import { createRng } from '@relurec/random';
import { solveFlips, SignsUndeterminedError } from '../src/index.js';

// lambda = A f for a known binary f; A random (generic), so the binary solution is unique.
function instance(rows: number, k: number, seed: number) {
  const rng = createRng(seed);
  const A = rng.gaussianArray(rows * k);
  const f = Uint8Array.from({ length: k }, () => (rng.nextDouble() < 0.5 ? 1 : 0));
  const lambda = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) if (f[j]) lambda[r] += A[r * k + j];
  return { A, f, lambda };
}

t.test('signs - full column rank: least squares and rounding', async (t) => {
  const { A, f, lambda } = instance(30, 12, 1);
  const s = solveFlips(A, 30, 12, lambda);
  t.equal(s.method, 'linear');
  t.same(Array.from(s.flips), Array.from(f));
  t.ok(s.margin < 1e-10, `margin ${s.margin}`);
  t.ok(s.residual < 1e-12);
});

t.test('signs - under-determined (20 unknowns, 10 equations): exact enumeration', async (t) => {
  const { A, f, lambda } = instance(10, 20, 2);
  const s = solveFlips(A, 10, 20, lambda);
  t.equal(s.method, 'enumerated');
  t.equal(s.free, 10);
  t.same(Array.from(s.flips), Array.from(f));
  t.ok(s.residual < 1e-10, `residual ${s.residual}`);
});

t.test('signs - beyond the enumeration bound throws, naming the sizes', async (t) => {
  const { A, lambda } = instance(4, 30, 3);
  t.throws(() => solveFlips(A, 4, 30, lambda, 20), SignsUndeterminedError);
  t.throws(() => solveFlips(A, 4, 30, lambda, 20), /30 unknowns, rank 4/);
});
