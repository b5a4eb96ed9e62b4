import t from 'tap';
import { createRng } from '@relurec/random';
import { dropTiltingPoints } from '../src/layer1/dropTiltingPoints.js';

// 13 points on the plane n . x + 0.3 = 0 in 10 dimensions (n a fixed unit vector), each moved along
// n by rounding-sized noise (1e-15); the constructed plane is the expectation.
const rng = createRng(7);
const n = rng.unitVector(10), offset = 0.3;
const onPlane = (noise: number) => {
  const x = rng.gaussianArray(10).map((v) => 3 * v);
  const d = x.reduce((s, v, i) => s + v * n[i], offset) - noise;
  return x.map((v, i) => v - d * n[i]);
};
const clean = Array.from({ length: 13 }, () => onPlane((rng.nextInt(3) - 1) * 1e-15));
const planeError = (pl: { normal: Float64Array; offset: number }) => Math.max(Math.abs(pl.offset - offset), ...Array.from(pl.normal, (v, i) => Math.abs(v - n[i])));

t.test('dropTiltingPoints - one position 2e-12 off is left out; the plane comes back to 1e-14 (constructed)', async (t) => {
  const bad = clean.map((p) => Float64Array.from(p));
  const k = 5;
  for (let i = 0; i < 10; i++) bad[k][i] += 2e-12 * n[i];
  const { kept, plane } = dropTiltingPoints(bad, n, 12, 1e-14);
  t.equal(kept.length, 12);
  t.notOk(kept.includes(bad[k]), 'the moved point is the one left out');
  t.ok(planeError(plane) < 1e-14, `plane error ${planeError(plane).toExponential(1)} (< 1e-14)`);
});

t.test('dropTiltingPoints - exact positions: all kept', async (t) => {
  const { kept, plane } = dropTiltingPoints(clean, n, 12, 1e-14);
  t.equal(kept.length, 13);
  t.ok(planeError(plane) < 1e-14, `plane error ${planeError(plane).toExponential(1)}`);
});
