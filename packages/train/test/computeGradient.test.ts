import t from 'tap';
import { denseLayer, forward, generateNetwork, preActivations, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { computeGradient, makeMemorisationTask, type LabelledData } from '../src/index.js';

/** Mean cross-entropy computed independently of the package: network's forward() and a plain log-sum-exp. */
function referenceLoss(net: ReluNetwork, data: LabelledData): number {
  const z = forward(net, data.inputs, data.rows);
  const c = data.classes;
  let s = 0;
  for (let r = 0; r < data.rows; r++) {
    const row = Array.from(z.subarray(r * c, (r + 1) * c));
    const max = Math.max(...row);
    s += max + Math.log(row.reduce((acc, v) => acc + Math.exp(v - max), 0)) - row[data.labels[r]];
  }
  return s / data.rows;
}

function tinyProblem(): { net: ReluNetwork; data: LabelledData } {
  const net = generateNetwork({ architecture: [3, 4, 3], seed: 11, init: 'rk' });
  const rng = createRng(5);
  const rows = 6;
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = rng.nextInt(3);
  return { net, data: { inputs: rng.gaussianArray(rows * 3), labels, rows, inputDim: 3, classes: 3 } };
}

t.test('gradient - matches central finite differences on a 3-4-3 network', async (t) => {
  const { net, data } = tinyProblem();
  // Step h = 1e-6 per parameter. Every hidden pre-activation is at least 1e-3 away from its kink, and
  // a step moves a pre-activation by at most h * (|x| + 1) < 1e-5, so no difference straddles a kink.
  const h = 1e-6;
  const hidden = preActivations(net, data.inputs, data.rows)[0];
  t.ok(Math.min(...Array.from(hidden, Math.abs)) > 1e-3, 'precondition: no hidden unit near its kink');
  let active = 0;
  for (let k = 0; k < hidden.length; k++) if (hidden[k] > 0) active++;
  t.ok(active > 0 && active < hidden.length, `precondition: both active and inactive units (${active}/${hidden.length} active)`);

  const { loss, gradients } = computeGradient(net, data);
  t.ok(Math.abs(loss - referenceLoss(net, data)) < 1e-14, 'loss equals the reference loss to 1e-14');

  // Relative error |g - fd| / max(|g|, |fd|, 1e-6): the 1e-6 floor keeps parameters with zero
  // gradient (inputs to units dead on every row) from dividing rounding noise (~1e-11) by zero.
  let worst = 0, checked = 0;
  net.layers.forEach((layer, l) => {
    for (const [key, params] of [['weights', layer.weights], ['biases', layer.biases]] as const) {
      const g = gradients[l][key];
      t.equal(g.length, params.length, `layers[${l}].${key} gradient shape`);
      for (let k = 0; k < params.length; k++) {
        const saved = params[k];
        params[k] = saved + h;
        const up = referenceLoss(net, data);
        params[k] = saved - h;
        const down = referenceLoss(net, data);
        params[k] = saved;
        const fd = (up - down) / (2 * h);
        const rel = Math.abs(g[k] - fd) / Math.max(Math.abs(g[k]), Math.abs(fd), 1e-6);
        worst = Math.max(worst, rel);
        checked++;
      }
    }
  });
  t.equal(checked, 3 * 4 + 4 + 4 * 3 + 3, 'every parameter checked');
  t.ok(worst < 1e-6, `worst relative error ${worst.toExponential(2)} < 1e-6`);
});

t.test('gradient - permuting hidden units permutes the gradient (property)', async (t) => {
  const net = generateNetwork({ architecture: [5, 7, 6, 3], seed: 2 });
  const data = makeMemorisationTask({ samples: 40, inputDim: 5, classes: 3, seed: 2 });
  const perm = [3, 0, 6, 1, 5, 2, 4]; // new neuron i is old neuron perm[i] in layer 1
  const [L0, L1, L2] = net.layers;
  const W0 = new Float64Array(L0.weights.length), b0 = new Float64Array(7), W1 = new Float64Array(L1.weights.length);
  for (let i = 0; i < 7; i++) {
    W0.set(L0.weights.subarray(perm[i] * 5, perm[i] * 5 + 5), i * 5);
    b0[i] = L0.biases[perm[i]];
    for (let k = 0; k < 6; k++) W1[k * 7 + i] = L1.weights[k * 7 + perm[i]];
  }
  const permuted: ReluNetwork = { name: 'p', meta: {}, layers: [denseLayer(5, 7, W0, b0), denseLayer(7, 6, W1, L1.biases.slice()), L2] };
  const a = computeGradient(net, data), b = computeGradient(permuted, data);
  // Sums run in a different order, so agreement is to rounding: 1e-12 relative to the largest entry.
  let maxDiff = 0, scale = 0;
  const note = (x: number, y: number): void => {
    maxDiff = Math.max(maxDiff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(x));
  };
  for (let i = 0; i < 7; i++) {
    for (let j = 0; j < 5; j++) note(a.gradients[0].weights[perm[i] * 5 + j], b.gradients[0].weights[i * 5 + j]);
    note(a.gradients[0].biases[perm[i]], b.gradients[0].biases[i]);
    for (let k = 0; k < 6; k++) note(a.gradients[1].weights[k * 7 + perm[i]], b.gradients[1].weights[k * 7 + i]);
  }
  for (let k = 0; k < L2.weights.length; k++) note(a.gradients[2].weights[k], b.gradients[2].weights[k]);
  t.ok(Math.abs(a.loss - b.loss) < 1e-14, 'same loss');
  t.ok(maxDiff <= 1e-12 * scale, `max difference ${maxDiff.toExponential(2)} <= 1e-12 x ${scale.toExponential(2)}`);
});

t.test('gradient - the mean over 600 rows is the row-weighted mean of its halves (chunking)', async (t) => {
  // 600 rows are processed in chunks of 256; the halves in chunks of 256 and 44.
  const net = generateNetwork({ architecture: [4, 8, 2], seed: 9 });
  const data = makeMemorisationTask({ samples: 600, inputDim: 4, classes: 2, seed: 9 });
  const half = (from: number): LabelledData => ({
    ...data,
    rows: 300,
    inputs: data.inputs.slice(from * 4, (from + 300) * 4),
    labels: data.labels.slice(from, from + 300),
  });
  const all = computeGradient(net, data), h1 = computeGradient(net, half(0)), h2 = computeGradient(net, half(300));
  let maxDiff = 0;
  all.gradients.forEach((g, l) => {
    for (let k = 0; k < g.weights.length; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(g.weights[k] - (h1.gradients[l].weights[k] + h2.gradients[l].weights[k]) / 2));
    }
  });
  t.ok(maxDiff < 1e-14, `max difference ${maxDiff.toExponential(2)} < 1e-14`);
  t.ok(Math.abs(all.loss - (h1.loss + h2.loss) / 2) < 1e-14);
});

t.test('gradient - shape mismatch throws a RangeError naming the field', async (t) => {
  const { net, data } = tinyProblem();
  t.throws(() => computeGradient(net, { ...data, classes: 4 }), { name: 'RangeError', message: /data\.classes/ });
});
