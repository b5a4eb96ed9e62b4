import t from 'tap';
import { findKinks, Probe } from '@relurec/geometry';
import { forward, generateNetwork, preActivations } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances } from '../src/index.js';
import { measureSeedNormal } from '../src/deeper/unmeasuredSeed.js';

t.test('unmeasured seed - the normal measured when the seed is traced is its boundary normal', async (t) => {
  const net = generateNetwork({ architecture: [8, 8, 6, 1], seed: 2, init: 'rk' });
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: 8, outputDim: 1 });
  const ctx = { probe, tol: makeTolerances(1, 1), rng: createRng(1), log: () => {} };
  const rng = createRng(9);
  const origin = rng.gaussianArray(8).map((v) => 2 * v), end = rng.gaussianArray(8).map((v) => 2 * v);
  const direction = end.map((v, i) => v - origin[i]);
  const len = Math.hypot(...direction);
  const { kinks } = await findKinks(probe, { origin, direction, t0: 0, t1: 1 }, { tolerance: ctx.tol.value });
  t.ok(kinks.length >= 3, `${kinks.length} kinks on the segment`);
  let checked = 0;
  for (const [i, k] of kinks.entries()) {
    const before = (k.t - (i === 0 ? 0 : kinks[i - 1].t)) * len, after = ((i + 1 === kinks.length ? 1 : kinks[i + 1].t) - k.t) * len;
    const spent = probe.spent;
    const normal = await measureSeedNormal(ctx, k.point, { direction: direction.map((v) => v / len), before, after });
    if (!normal) continue;
    // Ground truth: the gradient of the vanishing neuron, by central differences of the true net
    // (exact for a piecewise-linear function inside one region, up to rounding).
    const z = preActivations(net, k.point, 1);
    let layer = 0, unit = 0, best = Infinity;
    z.slice(0, -1).forEach((zl, l) => zl.forEach((v, j) => { if (Math.abs(v) < best) { best = Math.abs(v); layer = l; unit = j; } }));
    const g = Array.from({ length: 8 }, (_, d) => {
      const h = 1e-7, a = Float64Array.from(k.point), b = Float64Array.from(k.point);
      a[d] -= h; b[d] += h;
      return (preActivations(net, b, 1)[layer][unit] - preActivations(net, a, 1)[layer][unit]) / (2 * h);
    });
    const gn = Math.hypot(...g);
    const cos = Math.abs(normal.reduce((s, v, d) => s + (v * g[d]) / gn, 0));
    t.ok(1 - cos < 1e-6, `kink ${i} (layer ${layer + 1}): |cos| to the true normal ${cos} (expected within 1e-6 of 1)`);
    t.ok(probe.spent - spent <= 2 * (8 + 2) + 4, `${probe.spent - spent} queries (two Jacobians)`);
    checked++;
  }
  t.ok(checked >= 3, `${checked} normals measured`);
});
