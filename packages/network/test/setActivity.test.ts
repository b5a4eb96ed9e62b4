import t from 'tap';
import { createRng } from '@relurec/random';
import { generateNetwork, preActivations, setActivity } from '../src/index.js';

/** Fraction of n fresh N(0, I) inputs (another seed than setActivity's) on which neuron j of hidden layer `layer` is active. */
function activeOn(net: ReturnType<typeof generateNetwork>, layer: number, j: number, n = 50_000): number {
  const n0 = net.layers[0].inDim, rng = createRng(99), X = new Float64Array(n * n0);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
  const z = preActivations(net, X, n)[layer - 1], w = net.layers[layer - 1].outDim;
  let on = 0;
  for (let r = 0; r < n; r++) if (z[r * w + j] > 0) on++;
  return on / n;
}

t.test('setActivity - a rare and an almost-always-active layer-2 neuron, biases only', async (t) => {
  const base = generateNetwork({ architecture: [10, 20, 20, 1], seed: 1 });
  const net = setActivity(base, [{ layer: 2, neuron: 0, fraction: 0.001 }, { layer: 2, neuron: 1, fraction: 0.9995 }, { layer: 1, neuron: 3, fraction: 0.5 }]);
  const rare = activeOn(net, 2, 0), common = activeOn(net, 2, 1), half = activeOn(net, 1, 3);
  // 50000 fresh draws: binomial spread ~1.4e-4 at 0.001, ~1e-4 at 0.9995, ~2.2e-3 at 0.5.
  t.ok(rare > 0.0004 && rare < 0.002, `layer-2 neuron 0 active on ${(100 * rare).toFixed(3)}% (wanted 0.1%)`);
  t.ok(common > 0.999 && common < 1, `layer-2 neuron 1 active on ${(100 * common).toFixed(3)}% (wanted 99.95%)`);
  t.ok(Math.abs(half - 0.5) < 0.01, `layer-1 neuron 3 active on ${(100 * half).toFixed(1)}% (wanted 50%)`);
  net.layers.forEach((l, i) => t.same(Array.from(l.weights), Array.from(base.layers[i].weights), `layer ${i + 1} weights unchanged`));
  const changed = net.layers.flatMap((l, i) => Array.from(l.biases).flatMap((b, j) => (b === base.layers[i].biases[j] ? [] : [`${i + 1}:${j}`])));
  t.same(changed.sort(), ['1:3', '2:0', '2:1'], 'only the three target biases moved');
  t.equal(base.layers[1].biases[0], generateNetwork({ architecture: [10, 20, 20, 1], seed: 1 }).layers[1].biases[0], 'the input network is not modified');
});

t.test('setActivity - bad targets are refused with the field named', async (t) => {
  const net = generateNetwork({ architecture: [4, 5, 3, 1], seed: 1 });
  t.throws(() => setActivity(net, [{ layer: 3, neuron: 0, fraction: 0.1 }]), /targets\[0\]\.layer must be a hidden layer, 1\.\.2, got 3/);
  t.throws(() => setActivity(net, [{ layer: 2, neuron: 3, fraction: 0.1 }]), /targets\[0\]\.neuron must be in 0\.\.2 \(layer 2 has 3 neurons\), got 3/);
  t.throws(() => setActivity(net, [{ layer: 1, neuron: 0, fraction: 0.5 }, { layer: 1, neuron: 1, fraction: 1 }]), /targets\[1\]\.fraction must be in \(0, 1\), got 1/);
  t.throws(() => setActivity(net, [], { samples: 10 }), /options\.samples must be an integer >= 100/);
});
