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

t.test('plane - weights: points off by 1e-10 with 1e-4 of the weight cost the fit almost nothing', async (t) => {
  const rng = createRng(6);
  const n = 10;
  const normal = rng.unitVector(n);
  const offset = -0.4;
  const onPlane = () => {
    const x = rng.gaussianArray(n).map((v) => 2 * v);
    const d = planeValue({ normal, offset }, x);
    return x.map((v, i) => v - d * normal[i]);
  };
  // 13 exact points and 4 noisy ones (as far tests where the neuron barely shows in the output).
  const exact = Array.from({ length: n + 3 }, onPlane);
  const noisy = Array.from({ length: 4 }, () => onPlane().map((v, i) => v + 1e-10 * normal[i] * (rng.nextDouble() - 0.5) * 2));
  const err = (fit: { normal: Float64Array; offset: number }) => Math.max(Math.abs(fit.offset - offset), ...Array.from(fit.normal, (v, i) => Math.abs(v - normal[i])));
  const plain = err(fitPlane([...exact, ...noisy], normal));
  const weighted = err(fitPlane([...exact, ...noisy], normal, [...exact.map(() => 1), ...noisy.map(() => 1e-4)]));
  t.ok(weighted < 1e-13, `weighted fit within ${weighted.toExponential(1)} (expected < 1e-13)`);
  t.ok(plain > 10 * weighted, `unweighted fit ${plain.toExponential(1)}, the noisy points move it`);
  t.throws(() => fitPlane(exact, normal, exact.map(() => 0)), /weights must be one positive finite number per point/);
  t.throws(() => fitPlane(exact, normal, [1]), /weights must be one positive finite number per point/);
});
