import t from 'tap';
import { computeGradient, makeMemorisationTask, trainNetwork, type EpochRecord } from '../src/index.js';

t.test('train - memorises 300 random labels with a 10-64-64-2 network in 150 epochs', async (t) => {
  // With batchSize 50 and learningRate 3e-3, seeds 1..12 cross 0.9 train accuracy by epoch 13-20
  // and end at 1.0, so 150 epochs leave a wide margin (the defaults 100 / 1e-3 cross by epoch 45-74).
  const data = makeMemorisationTask({ samples: 300, inputDim: 10, classes: 2, seed: 1 });
  const { network, history } = trainNetwork({ data, architecture: [10, 64, 64, 2], seed: 1, epochs: 150, batchSize: 50, learningRate: 3e-3 });
  t.equal(history.length, 150);
  const acc = network.meta.trainAccuracy as number;
  t.ok(acc > 0.9, `train accuracy ${acc} > 0.9`);
  t.equal(network.meta.finalLoss, history[149].loss, 'meta.finalLoss is the last epoch loss');
  t.same(network.meta, {
    trainer: 'relurec train',
    task: 'memorisation',
    architecture: '10-64-64-2',
    seed: 1,
    epochs: 150,
    batchSize: 50,
    learningRate: 3e-3,
    samples: 300,
    finalLoss: history[149].loss,
    trainAccuracy: acc,
  });
  t.equal(network.name, '10-64-64-2-memorisation-s1');
  t.same(network.layers.map((l) => [l.inDim, l.outDim]), [[10, 64], [64, 64], [64, 2]]);
  for (const [l, layer] of network.layers.entries()) {
    t.ok(layer.weights.every(Number.isFinite) && layer.biases.every(Number.isFinite), `layers[${l}] all finite`);
  }
});

t.test('train - loss decreases from the initialisation', async (t) => {
  const data = makeMemorisationTask({ samples: 200, inputDim: 6, classes: 3, seed: 4 });
  const base = { data, architecture: [6, 16, 3], seed: 4, batchSize: 200, learningRate: 1e-2 };
  const initial = trainNetwork({ ...base, epochs: 0 });
  t.same(initial.history, []);
  const initialLoss = initial.network.meta.finalLoss as number;
  const { history } = trainNetwork({ ...base, epochs: 40 });
  // Full-batch Adam with a small step on a smooth-enough loss: every epoch improves for this seed.
  t.ok(history[0].loss < initialLoss, `epoch 1 loss ${history[0].loss} < initial ${initialLoss}`);
  for (let e = 1; e < history.length; e++) t.ok(history[e].loss < history[e - 1].loss, `epoch ${e + 1} improves`);
  t.ok(history[39].loss < 0.9 * initialLoss, `final ${history[39].loss} < 0.9 x initial`);
});

t.test('train - one full-batch epoch is one Adam step along computeGradient', async (t) => {
  // Adam's first step: m_hat = g, v_hat = g^2, so each parameter moves by -lr g / (|g| + eps).
  const data = makeMemorisationTask({ samples: 30, inputDim: 4, classes: 3, seed: 6 });
  const base = { data, architecture: [4, 5, 3], seed: 6, batchSize: 30, learningRate: 1e-3 };
  const before = trainNetwork({ ...base, epochs: 0 }).network;
  const after = trainNetwork({ ...base, epochs: 1 }).network;
  const { gradients } = computeGradient(before, data);
  let worst = 0;
  before.layers.forEach((layer, l) => {
    for (const key of ['weights', 'biases'] as const) {
      const p0 = layer[key], p1 = after.layers[l][key], g = gradients[l][key];
      for (let k = 0; k < p0.length; k++) {
        const expected = (-1e-3 * g[k]) / (Math.abs(g[k]) + 1e-8);
        worst = Math.max(worst, Math.abs(p1[k] - p0[k] - expected));
      }
    }
  });
  // Differences of parameters of size ~1 carry rounding ~1e-16; 1e-13 is a loose bound on a 1e-3 step.
  t.ok(worst < 1e-13, `worst step error ${worst.toExponential(2)} < 1e-13`);
});

t.test('train - same seed gives bit-identical weights, another seed does not', async (t) => {
  const data = makeMemorisationTask({ samples: 120, inputDim: 5, classes: 2, seed: 2 });
  const run = (seed: number) => trainNetwork({ data, architecture: [5, 12, 12, 2], seed, epochs: 15, batchSize: 32 });
  const a = run(9), b = run(9), c = run(10);
  t.same(a.network.layers, b.network.layers);
  t.same(a.history, b.history);
  t.notSame(a.network.layers[0].weights, c.network.layers[0].weights);
});

t.test('train - onEpoch sees every record in order', async (t) => {
  const data = makeMemorisationTask({ samples: 50, inputDim: 3, classes: 2, seed: 1 });
  const seen: EpochRecord[] = [];
  const { history } = trainNetwork({ data, architecture: [3, 8, 2], seed: 1, epochs: 5, onEpoch: (r) => seen.push(r) });
  t.same(seen.map((r) => r.epoch), [1, 2, 3, 4, 5]);
  t.same(seen, history);
});

t.test('train - biasStd 0 gives exactly zero initial biases, the default does not', async (t) => {
  const data = makeMemorisationTask({ samples: 20, inputDim: 3, classes: 2, seed: 1 });
  const zero = trainNetwork({ data, architecture: [3, 8, 2], seed: 1, epochs: 0, biasStd: 0 }).network;
  const small = trainNetwork({ data, architecture: [3, 8, 2], seed: 1, epochs: 0 }).network;
  t.ok(zero.layers.every((l) => l.biases.every((b) => b === 0)));
  const b = Array.from(small.layers[0].biases);
  t.ok(b.every((v) => v !== 0 && Math.abs(v) < 0.5), `layer-1 biases nonzero and small: ${b.map((v) => v.toFixed(3)).join(' ')}`);
});

t.test('train - a huge learning rate throws TrainingDivergedError', async (t) => {
  const data = makeMemorisationTask({ samples: 40, inputDim: 4, classes: 2, seed: 1 });
  // Steps of 1e200 push weights to ~1e200; two layers of products overflow to Infinity and NaN.
  t.throws(() => trainNetwork({ data, architecture: [4, 8, 8, 2], seed: 1, epochs: 3, learningRate: 1e200 }), {
    name: 'TrainingDivergedError',
    epoch: 1,
  });
});

t.test('train - bad options throw errors naming the option', async (t) => {
  const data = makeMemorisationTask({ samples: 10, inputDim: 3, classes: 2, seed: 1 });
  const ok = { data, architecture: [3, 4, 2], seed: 1 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ architecture: [3] }, /options\.architecture must/],
    [{ architecture: [3, 0, 2] }, /options\.architecture must/],
    [{ architecture: [4, 4, 2] }, /options\.architecture\[0\] \(4\) must equal options\.data\.inputDim \(3\)/],
    [{ architecture: [3, 4, 3] }, /options\.architecture's last width \(3\) must equal options\.data\.classes \(2\)/],
    [{ seed: Infinity }, /options\.seed/],
    [{ epochs: -1 }, /options\.epochs/],
    [{ batchSize: 0 }, /options\.batchSize/],
    [{ learningRate: 0 }, /options\.learningRate/],
    [{ beta1: 1 }, /options\.beta1/],
    [{ beta2: -0.1 }, /options\.beta2/],
    [{ epsilon: 0 }, /options\.epsilon/],
    [{ biasStd: -1 }, /options\.biasStd/],
    [{ data: { ...data, rows: 11 } }, /options\.data\.inputs has 30 values/],
  ];
  for (const [patch, message] of cases) {
    t.throws(() => trainNetwork({ ...ok, ...patch } as Parameters<typeof trainNetwork>[0]), { name: 'RangeError', message }, JSON.stringify(patch).slice(0, 60));
  }
  t.throws(() => trainNetwork({ ...ok, onEpoch: 3 as unknown as () => void }), { name: 'TypeError', message: /options\.onEpoch/ });
});
