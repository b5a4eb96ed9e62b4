import t from 'tap';
import { compareNetworks } from '@relurec/judge';
import { forward, generateNetwork, preActivations, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { recoverNetwork } from '../src/index.js';

// The first three layers of 10-15-15-15-15-1 carlini 1 (zero biases: every state is a cone) under a
// fourth layer of 10 (15-10-1 carlini 1): layer-2 neuron 7 is on for ~0.04 % of inputs, layer-3
// neuron 6 is on wherever it is, so 6's boundary never passes where 7 acts, yet 6's weight from 7
// (-0.33) moves layer 4 there; layer-3 neuron 9 is off wherever 7 is on (its weight from 7 acts
// nowhere on sampled inputs). Before: both weights were left at 0 and reported unseen (exit 1).
const base = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 1, init: 'carlini' });
const top = generateNetwork({ architecture: [15, 10, 1], seed: 1, init: 'carlini' });
const net: ReluNetwork = { name: 'narrow cone at depth four', meta: {}, layers: [...base.layers.slice(0, 3), ...top.layers] };

t.test('narrow cone at depth 4: a middle-layer weight from a narrow-cone input comes from outputs where it acts', async (t) => {
  const rng = createRng(42), n = 200_000, X = new Float64Array(n * 10);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
  const z = preActivations(net, X, n);
  const cone = Array.from({ length: n }, (_, r) => r).filter((r) => z[1][r * 15 + 7] > 0);
  t.ok(cone.length > 0 && cone.length / n < 0.001, `layer-2 neuron 7 active on ${((100 * cone.length) / n).toFixed(3)}% of fresh inputs (< 0.1%)`);
  t.ok(cone.every((r) => z[2][r * 15 + 6] > 0), `layer-3 neuron 6 on at all ${cone.length} of them`);
  t.ok(cone.every((r) => !(z[2][r * 15 + 9] > 0)), 'layer-3 neuron 9 off at all of them');
  t.ok(Math.abs(net.layers[2].weights[6 * 15 + 7]) > 0.3, 'the weight 6 <- 7 is not small');

  const res = await recoverNetwork(async (x, rows) => forward(net, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 15, 15, 15, 10, 1], 'architecture discovered exactly');
  t.ok(res.complete, `the run reports itself complete (missing: ${res.missing.join(' | ') || 'none'})`);
  const cmp = compareNetworks(net, res.network, { fidelitySamples: 10_000 });
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity ${cmp.fidelity.relativeError.toExponential(1)}`);
  t.ok(cmp.bits >= 36, `${cmp.bits.toFixed(1)} bits (measured 37.4; 35.0 before barely seen weights were fitted to outputs too)`);
  const six = cmp.layers[2].pairs.find((p) => p.truth === 6);
  t.ok(six && six.error < 2 ** -36, `layer-3 neuron 6 matched with its weight from 7, aligned error ${six?.error.toExponential(1)}`);
  t.ok(res.warnings.some((w) => /middle-layer weights never seen on their boundaries were fitted to the black box's outputs/.test(w)), 'the fit from outputs is reported');
  // Neuron 9 is off at every sampled input of the cone, yet the search reaches a corner of it where 9
  // is on, and its weight from 7 is fitted there too.
  const nine = cmp.layers[2].pairs.find((p) => p.truth === 9);
  t.ok(nine && nine.error < 1e-9, `layer-3 neuron 9 matched, aligned error ${nine?.error.toExponential(1)}`);
});
