import t from 'tap';
import { Probe } from '@relurec/geometry';
import { forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances, measureNoise } from '../src/index.js';

const net = generateNetwork({ architecture: [10, 20, 1], seed: 4 });

t.test('noise - a float64 black box has rounding noise only; float64 tolerances keep their floors', async (t) => {
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: 10, outputDim: 1 });
  const sigma = await measureNoise(probe, createRng(1), 1);
  t.ok(sigma < 1e-14, `sigma ${sigma} (rounding of a float64 forward pass, outputs O(1))`);
  t.equal(probe.spent, 18, '3 queries at each of 6 points');
  const tol = makeTolerances(2, 1, sigma);
  t.same([tol.value, tol.endSlopeStep, tol.explain, tol.farPass, tol.farWindow], [2e-9, 1e-4, 1e-7, 1e-6, 1e-3]);
});

t.test('noise - added noise of known size is measured within a factor 3, and widens every tolerance', async (t) => {
  const rng = createRng(9);
  // Gaussian noise of sd 1e-7 on every answer (a float32-like black box)
  const probe = new Probe(async (x, r) => forward(net, x, r).map((v) => v + 1e-7 * rng.nextGaussian()), { inputDim: 10, outputDim: 1 });
  const sigma = await measureNoise(probe, createRng(1), 1, 15);
  t.ok(sigma > 1e-7 / 3 && sigma < 3e-7, `sigma ${sigma} vs 1e-7`);
  const tol = makeTolerances(2, 1, sigma);
  t.ok(tol.value > 1e-5 && tol.endSlopeStep === 1e-2 && tol.explain > 1e-6, 'noisy-oracle tolerances');
  t.throws(() => makeTolerances(1, 1, -1), /noise must be a non-negative number/);
});
