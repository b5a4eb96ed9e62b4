import t from 'tap';
import { findKinks, Probe } from '@relurec/geometry';
import { forward, generateNetwork, preActivations } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances } from '../src/index.js';
import { checkKink } from '../src/layer1/checkKink.js';

// Ground truth for the test only: the layer (1 or 2) of the neuron that vanishes at a kink.
function layerOf(net: ReturnType<typeof generateNetwork>, p: Float64Array): number {
  const z = preActivations(net, p, 1);
  let best = Infinity, layer = 0;
  z.slice(0, -1).forEach((zl, l) => zl.forEach((v) => { if (Math.abs(v) < best) { best = Math.abs(v); layer = l + 1; } }));
  return layer;
}

t.test('checkKink - layer-1 kinks are planes with exact far points, deeper kinks are told bent in ~8 queries', async (t) => {
  const net = generateNetwork({ architecture: [10, 10, 10, 1], seed: 1, init: 'rk' });
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: 10, outputDim: 1 });
  const tol = makeTolerances(1, 1);
  const rng = createRng(3);
  const counts = { plane1: 0, other1: 0, bent1: 0, bent2: 0, other2: 0 };
  let jumpsMatch = true;
  let bentQueries = 0, worstOff = 0;
  for (let s = 0; s < 6; s++) {
    const origin = rng.gaussianArray(10), end = rng.gaussianArray(10);
    const direction = end.map((v, i) => v - origin[i]);
    const len = Math.hypot(...direction);
    const u = direction.map((v) => v / len);
    const { kinks } = await findKinks(probe, { origin, direction, t0: 0, t1: 1 }, { tolerance: tol.value });
    for (const [i, k] of kinks.entries()) {
      const before = (k.t - (i === 0 ? 0 : kinks[i - 1].t)) * len, after = ((i + 1 === kinks.length ? 1 : kinks[i + 1].t) - k.t) * len;
      const spent = probe.spent;
      const check = await checkKink(probe, tol, rng, { point: k.point, direction: u, before, after, slopeBefore: k.slopeLeft / len, slopeAfter: k.slopeRight / len }, 1);
      const layer = layerOf(net, k.point);
      if (layer === 1) {
        if (check.verdict === 'plane') counts.plane1++; else if (check.verdict === 'bent') counts.bent1++; else counts.other1++;
        // The far points lie on the true layer-1 plane: usable for the fit.
        for (const q of check.points) {
          const z = preActivations(net, q, 1)[0];
          worstOff = Math.max(worstOff, Math.min(...Array.from(z, (v, j) => Math.abs(v) / Math.hypot(...net.layers[0].weights.subarray(j * 10, j * 10 + 10)))));
        }
        jumpsMatch &&= check.jumps.length === check.points.length;
      } else {
        if (check.verdict === 'bent') { counts.bent2++; bentQueries += probe.spent - spent; } else counts.other2++;
      }
    }
  }
  t.equal(counts.bent1, 0, 'no layer-1 kink is told bent');
  t.ok(jumpsMatch, 'one jump per point');
  t.ok(counts.plane1 >= 5, `${counts.plane1} layer-1 kinks told planes (${counts.other1} undecided)`);
  t.ok(worstOff < 1e-12, `far points within ${worstOff.toExponential(1)} of the true plane (expected < 1e-12: exact up to rounding)`);
  t.ok(counts.bent2 >= 0.8 * (counts.bent2 + counts.other2) && counts.bent2 >= 5, `${counts.bent2} of ${counts.bent2 + counts.other2} deeper kinks told bent`);
  t.ok(bentQueries / counts.bent2 <= 12, `${(bentQueries / counts.bent2).toFixed(1)} queries per bent kink (a normal alone is ~24)`);
});
