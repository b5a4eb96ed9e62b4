import t from 'tap';
import { denseLayer, forward, generateNetwork, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { fitOutputLayer } from '../src/output/fitOutputLayer.js';

// The hidden layers of 10-20-20-1 (rk, seed 4) with every weight off by a relative 1e-12 (as a
// recovery leaves them), 300 samples of N(0, I) and 40 at 10 domain scales (ray probes and the like
// reach that far): the far samples' h^L is ~10 x as far off.
const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 4, init: 'rk' });
const rng = createRng(9);
const cache = new Map<number, Float64Array>();
const noise = (n: number) => cache.get(n) ?? (cache.set(n, rng.gaussianArray(n)), cache.get(n)!);
const perturbed = (l: DenseLayer) => denseLayer(l.inDim, l.outDim, l.weights.map((v, i, a) => v * (1 + 1e-12 * noise(a.length)[i])), l.biases.map((v, i, a) => v * (1 + 1e-12 * noise(a.length)[i])));
const hidden = truth.layers.slice(0, 2).map(perturbed);
const xs = [...Array.from({ length: 300 }, () => rng.gaussianArray(10)), ...Array.from({ length: 40 }, () => rng.gaussianArray(10).map((v) => 10 * v))];
const ys = xs.map((x) => forward(truth, x, 1));
// Weights of the layer-2 neurons active on at least 20 of the N(0, I) samples (the others are pinned
// by few or no equations at all, weighted or not).
const h2 = (x: Float64Array) => forward({ ...truth, layers: [...truth.layers.slice(0, 2), denseLayer(20, 20, Float64Array.from({ length: 400 }, (_, k) => (k % 21 === 0 ? 1 : 0)), new Float64Array(20))] }, x, 1);
const seen = Array.from({ length: 20 }, (_, j) => j).filter((j) => xs.slice(0, 300).filter((x) => h2(x)[j] > 0).length >= 20);
const error = (layer: DenseLayer) => Math.max(...seen.map((j) => Math.abs(layer.weights[j] - truth.layers[2].weights[j])));

t.test('fitOutputLayer - weightFar: samples far out no longer set the output layer\'s error', async (t) => {
  t.ok(seen.length >= 15, `${seen.length} of 20 layer-2 neurons active on >= 20 samples`);
  const plain = fitOutputLayer(hidden, xs, ys), weighted = fitOutputLayer(hidden, xs, ys, { weightFar: true });
  const near = fitOutputLayer(hidden, xs.slice(0, 300), ys.slice(0, 300));
  t.ok(error(weighted.layer) < 0.5 * error(plain.layer), `weighted ${error(weighted.layer).toExponential(1)} against unweighted ${error(plain.layer).toExponential(1)}`);
  t.ok(error(weighted.layer) <= 2 * error(near.layer), `as good as without the far samples (${error(near.layer).toExponential(1)})`);
  t.ok(weighted.relativeResidual < 1e-10, `residuals of the unweighted equations, still small (${weighted.relativeResidual.toExponential(1)})`);
});

t.test('fitOutputLayer - weightFar changes nothing for an exact model', async (t) => {
  const exact = truth.layers.slice(0, 2);
  t.ok(error(fitOutputLayer(exact, xs, ys, { weightFar: true }).layer) < 1e-13, 'exact layers: exact output layer');
});
