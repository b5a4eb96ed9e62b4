import t from 'tap';
import { architecture, forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { randomEquivalentNetwork } from '../src/index.js';

t.test('equivalent - same function, permuted and scaled neurons as recorded', async (t) => {
  const net = generateNetwork({ architecture: [6, 9, 7, 2], seed: 3 });
  const { network, permutations, scales } = randomEquivalentNetwork(net, { seed: 4, minScale: 0.1, maxScale: 10 });
  t.same(architecture(network), [6, 9, 7, 2]);
  t.equal(permutations.length, 2);
  permutations.forEach((perm, l) => {
    t.same(Array.from(perm).sort((a, b) => a - b), Array.from({ length: perm.length }, (_, i) => i), `layer ${l + 1} is a permutation`);
    t.ok(scales[l].every((a) => a >= 0.1 && a <= 10), `layer ${l + 1} scales in [0.1, 10]`);
  });
  t.not(Array.from(permutations[0]).join(), Array.from({ length: 9 }, (_, i) => i).join(), 'not the identity');
  // Row perm[i] of layer 1 is scales[i] x original row i (multiplication by a: exact to 1 rounding).
  const [p, a] = [permutations[0], scales[0]];
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j < 6; j++) t.equal(network.layers[0].weights[p[i] * 6 + j], net.layers[0].weights[i * 6 + j] * a[i]);
  }
  // The function: relative difference at rounding level (1e-13) on 500 Gaussian inputs.
  const x = createRng(5).gaussianArray(500 * 6);
  const y = forward(net, x, 500), yHat = forward(network, x, 500);
  let err = 0, size = 0;
  for (let k = 0; k < y.length; k++) { err = Math.max(err, Math.abs(y[k] - yHat[k])); size = Math.max(size, Math.abs(y[k])); }
  t.ok(err <= 1e-13 * size, `max |f - f^| = ${err}`);
  t.same(randomEquivalentNetwork(net, { seed: 4 }).network, network, 'deterministic in the seed');
});

t.test('equivalent - input unchanged, bad scale range throws', async (t) => {
  const net = generateNetwork({ architecture: [2, 3, 1], seed: 1 });
  const before = net.layers[0].weights.slice();
  randomEquivalentNetwork(net, { seed: 2 });
  t.same(net.layers[0].weights, before);
  t.throws(() => randomEquivalentNetwork(net, { seed: 1, minScale: 0 }), { name: 'RangeError', message: /options\.minScale/ });
  t.throws(() => randomEquivalentNetwork(net, { seed: 1, minScale: 2, maxScale: 1 }), { name: 'RangeError', message: /options\.maxScale/ });
  t.same(architecture(randomEquivalentNetwork(generateNetwork({ architecture: [3, 2], seed: 1 }), { seed: 1 }).network), [3, 2], 'no hidden layer: a copy');
});
