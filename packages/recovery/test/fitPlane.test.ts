import t from 'tap';
import { createRng } from '@relurec/random';
import { fitPlane, planeValue } from '../src/index.js';

t.test('plane - fit from exact points recovers the plane to 1e-14, oriented as asked', async (t) => {
  const rng = createRng(4);
  const n = 10;
  const normal = rng.unitVector(n);
  const offset = 0.7;
  const points = Array.from({ length: n + 3 }, () => {
    const x = rng.gaussianArray(n);
    const d = planeValue({ normal, offset }, x);
    return x.map((v, i) => v - d * normal[i]);
  });
  const flipped = normal.map((v) => -v);
  const fit = fitPlane(points, flipped);
  let err = Math.abs(fit.offset + offset);
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(fit.normal[i] + normal[i]));
  t.ok(err < 1e-14, `max error ${err} (expected: the same plane, pointing along the requested orientation)`);
  t.throws(() => fitPlane(points.slice(0, 5), normal), /at least 10 points/);
});
