import t from 'tap';
import { compareNetworks } from '@relurec/judge';
import { forward, generateNetwork, preActivations } from '@relurec/network';
import { createRng } from '@relurec/random';
import { recoverNetwork } from '../src/index.js';

// A layer-2 neuron on a narrow cone (zero biases, three small positive weights of 15): active on
// 0.04-0.05 % of N(0, I) inputs at every scale, met by ~1 in 270 random chords. The run misses it while
// tracing and the middle-layer check finds the model wrong where one layer-1 neuron carries its
// layer alone (dominantPoints); its two weights from inputs never on along its traced boundary come
// from kinks deep inside its cone with one of them on (jointActivePoint). Before: 10-15-14-15-1.
t.test('narrow cone - 10-15-15-15-1 carlini 1: a layer-2 neuron on 0.04-0.05 % of inputs is found and exact', async (t) => {
  const net = generateNetwork({ architecture: [10, 15, 15, 15, 1], seed: 1, init: 'carlini' });
  const rng = createRng(42), n = 100_000, X = new Float64Array(n * 10);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
  const z = preActivations(net, X, n)[1];
  let on = 0;
  for (let r = 0; r < n; r++) if (z[r * 15 + 7] > 0) on++;
  t.ok(on / n < 0.001, `layer-2 neuron 7 active on ${((100 * on) / n).toFixed(3)}% of fresh inputs (< 0.1%)`);
  const res = await recoverNetwork(async (x, rows) => forward(net, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 15, 15, 15, 1], 'architecture discovered exactly');
  t.ok(res.complete, `the run reports itself complete (missing: ${res.missing.join(' | ') || 'none'})`);
  const cmp = compareNetworks(net, res.network, { fidelitySamples: 10_000 });
  t.ok(cmp.bits >= 36, `${cmp.bits.toFixed(1)} bits (measured 38.4)`);
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity ${cmp.fidelity.relativeError.toExponential(1)}`);
  const pair = cmp.layers[1].pairs.find((p) => p.truth === 7);
  t.ok(pair && pair.error < 2 ** -36, `layer-2 neuron 7 matched, aligned error ${pair?.error.toExponential(1)}`);
});
