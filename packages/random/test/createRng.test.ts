import t from 'tap';
import { createRng, deriveSeed } from '../src/index.js';

t.test('rng - same seed gives the same stream', async (t) => {
  const a = createRng(7), b = createRng(7), c = createRng(8);
  const xa = [a.nextDouble(), a.nextGaussian(), a.nextInt(100)];
  const xb = [b.nextDouble(), b.nextGaussian(), b.nextInt(100)];
  t.same(xa, xb);
  t.not(c.nextDouble(), xa[0]);
});

t.test('rng - gaussian moments within 4 sigma on 200k draws', async (t) => {
  const r = createRng(1);
  const n = 200_000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const g = r.nextGaussian(); s += g; s2 += g * g; }
  const mean = s / n, variance = s2 / n - mean * mean;
  t.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
  t.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
});

t.test('rng - unit vectors have norm 1, fork is independent of parent draws', async (t) => {
  const r = createRng(3);
  const v = r.unitVector(50);
  t.ok(Math.abs(Math.hypot(...v) - 1) < 1e-15);
  const f1 = createRng(3).fork('task', 5).nextDouble();
  const p = createRng(3); p.nextDouble(); p.nextDouble();
  t.equal(p.fork('task', 5).nextDouble(), f1);
  t.not(deriveSeed(3, 'task', 5), deriveSeed(3, 'task', 6));
});
