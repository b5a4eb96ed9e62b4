import t from 'tap';
import { solveWithoutStrays } from '../src/deeper/solveWithoutStrays.js';
import { candidateValue } from '../src/index.js';
import { boundaryFixture } from './fixtures/boundaryFixture.js';

// A signed layer-2 neuron's exact boundary points (bisection on the known layer 1) and one point
// moved 2.5e-8 off its boundary (as a pooled refinement point once was, 20-30-30-20-1 rk 3).
const { known, cand, points } = boundaryFixture(21);
const exact = points(60, 0);

function rowError(c: Float64Array, bias: number): number {
  const s = bias / cand.bias;
  return Math.max(...Array.from(cand.c, (v, j) => Math.abs(c[j] / s - v)));
}

t.test('solveWithoutStrays - exact points: solved as they are', async (t) => {
  const { solution, strays } = solveWithoutStrays(known, exact);
  t.same(strays, []);
  t.ok(rowError(solution.c, solution.bias) < 1e-13, `row error ${rowError(solution.c, solution.bias).toExponential(1)}`);
});

t.test('solveWithoutStrays - one point 2.5e-8 off the boundary is left out and the row is exact again', async (t) => {
  const p = exact[17], g = candidateValue(known, cand, p, true).gradient, gn = Math.hypot(...g);
  const stray = p.map((v, i) => v + (2.5e-8 * g[i]) / (gn * gn));
  const pts = [...exact.slice(0, 17), stray, ...exact.slice(18)];
  const full = solveWithoutStrays(known, pts, { maxStrays: 0 });
  t.ok(full.solution.closure > 1e-11, `with it the system closes only to ${full.solution.closure.toExponential(1)}`);
  t.ok(rowError(full.solution.c, full.solution.bias) > 1e-11, `and the row is ${rowError(full.solution.c, full.solution.bias).toExponential(1)} off`);
  const { solution, strays } = solveWithoutStrays(known, pts);
  t.same(strays, [17], 'the stray point is left out');
  t.ok(solution.closure < 1e-14, `closure ${solution.closure.toExponential(1)}`);
  t.ok(rowError(solution.c, solution.bias) < 1e-13, `row error ${rowError(solution.c, solution.bias).toExponential(1)}`);
});

t.test('solveWithoutStrays - evenly noisy points (no stray): nothing is left out', async (t) => {
  // Noise on every point: dropping the worst gains little (< 10x), so the full system stands.
  const { strays } = solveWithoutStrays(known, points(60, 1e-10));
  t.same(strays, []);
});
