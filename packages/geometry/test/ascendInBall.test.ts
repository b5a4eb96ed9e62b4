import t from 'tap';
import { ascendInBall } from '../src/index.js';

// min(x0, x1) in the ball of radius 2: a ridge along x0 = x1, the top at (sqrt 2, sqrt 2).
const ridge = (x: Float64Array) => (x[0] < x[1] ? { v: x[0], g: [1, 0] } : { v: x[1], g: [0, 1] });

t.test('ascendInBall - climbs a ridge to the top inside the ball', async (t) => {
  const best = ascendInBall({ value: ridge, project: (x) => x }, Float64Array.from([-1, 0.5]), 2, 400)!;
  t.ok(Math.abs(best.v - Math.SQRT2) < 1e-6, `top ${best.v} (sqrt 2)`);
  t.ok(Math.abs(Math.hypot(...best.x) - 2) < 1e-9, 'on the sphere');
});

t.test('ascendInBall - on a surface: the line x1 = 0.5', async (t) => {
  const best = ascendInBall({ value: ridge, project: (x) => Float64Array.from([x[0], 0.5]), normal: () => [0, 1] }, Float64Array.from([-1, 3]), 2, 400)!;
  t.equal(best.x[1], 0.5, 'stays on the line');
  t.ok(Math.abs(best.v - 0.5) < 1e-9, `top ${best.v} (0.5: x1 bounds the min there)`);
});

t.test('ascendInBall - a start that cannot be brought into the ball', async (t) => {
  t.equal(ascendInBall({ value: ridge, project: () => undefined }, Float64Array.from([1, 1]), 2, 10), undefined);
});
