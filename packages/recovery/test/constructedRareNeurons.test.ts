import t from 'tap';
import { compareNetworks } from '@relurec/judge';
import { forward, generateNetwork, preActivations, setActivity } from '@relurec/network';
import { createRng } from '@relurec/random';
import { recoverNetwork } from '../src/index.js';

// Issue 4's constructed case (section 7): a layer-2 neuron active on ~0.1% of N(0, I) inputs (a
// narrow cone random segments almost never cross) and one active on ~99.95% (its boundary far out),
// made by moving their biases (setActivity). Both must be found, exactly, with nothing given.
for (const seed of [1, 2]) {
  t.test(`rare neurons - 8-12-10-1 seed ${seed}: a 0.1% and a 99.95% layer-2 neuron are both recovered`, async (t) => {
    const net = setActivity(generateNetwork({ architecture: [8, 12, 10, 1], seed }), [{ layer: 2, neuron: 0, fraction: 0.001 }, { layer: 2, neuron: 1, fraction: 0.9995 }], { seed: 7 });
    const rng = createRng(42), n = 50_000, X = new Float64Array(n * 8);
    for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
    const z = preActivations(net, X, n)[1];
    const on = (j: number) => { let c = 0; for (let r = 0; r < n; r++) if (z[r * 10 + j] > 0) c++; return c / n; };
    t.ok(on(0) < 0.002, `neuron 0 active on ${(100 * on(0)).toFixed(3)}% of fresh inputs (< 0.2%)`);
    t.ok(on(1) > 0.999, `neuron 1 active on ${(100 * on(1)).toFixed(3)}% of fresh inputs (> 99.9%)`);
    const res = await recoverNetwork(async (x, rows) => forward(net, x, rows), { inputDim: 8, outputDim: 1 }, { seed: 1 });
    t.same(res.architecture, [8, 12, 10, 1], 'architecture discovered exactly');
    t.ok(res.complete, 'the run reports itself complete');
    const cmp = compareNetworks(net, res.network, { fidelitySamples: 10_000 });
    t.ok(cmp.bits >= 36, `${cmp.bits.toFixed(1)} bits (measured 40.5 and 41.9)`);
    for (const j of [0, 1]) {
      const pair = cmp.layers[1].pairs.find((p) => p.truth === j);
      t.ok(pair && pair.error < 2 ** -36, `layer-2 neuron ${j} matched, aligned error ${pair?.error.toExponential(1)}`);
    }
  });
}
