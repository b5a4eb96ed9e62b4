import t from 'tap';
import { denseLayer, generateNetwork } from '@relurec/network';
import { localState, localValues } from '../src/known/localState.js';

// Two inputs, layers of 3 and 2 neurons, integer weights: every value and gradient is exact.
const layers = [
  denseLayer(2, 3, Float64Array.from([1, 2, -1, 1, 3, -2]), Float64Array.from([0, 1, -10])),
  denseLayer(3, 2, Float64Array.from([2, -1, 5, 1, 1, -3]), Float64Array.from([1, -2])),
];

t.test('localState - pre-activations, activations and gradients through the pattern at x (exact)', async (t) => {
  const x = Float64Array.from([1, 1]);
  const s = localState(layers, x);
  // Layer 1: z = (3, 1, -9); neuron 3 off.
  t.same([...s.zetas[0]], [3, 1, -9]);
  t.same([...s.activations[0]], [3, 1, 0]);
  t.same([...s.grads[0]], [1, 2, -1, 1, 3, -2], 'layer 1: its rows, off neurons included');
  // Layer 2: z = (2*3 - 1 + 1, 3 + 1 - 2) = (6, 2); d z / d x through neurons 1 and 2 only.
  t.same([...s.zetas[1]], [6, 2]);
  t.same([...s.activations[1]], [6, 2]);
  t.same([...s.grads[1]], [2 * 1 - 1 * -1, 2 * 2 - 1 * 1, 1 * 1 + 1 * -1, 1 * 2 + 1 * 1], 'layer 2: the rows of the active layer-1 neurons only');
});

t.test('localState - the arrays are views of one buffer that do not overlap', async (t) => {
  const s = localState(layers, Float64Array.from([1, 1]));
  const views = [...s.zetas, ...s.activations, ...s.grads];
  t.ok(views.every((v) => v.buffer === views[0].buffer), 'one buffer');
  const spans = views.map((v) => [v.byteOffset, v.byteOffset + v.byteLength]).sort((a, b) => a[0] - b[0]);
  t.ok(spans.every(([, end], i) => i === 0 || spans[i - 1][1] <= spans[i][0] && end > spans[i][0]), 'disjoint');
  t.same(views.map((v) => v.length).sort(), [2, 2, 3, 3, 4, 6].sort(), 'lengths m, m and m x n0 per layer');
});

// A random deep net against finite differences in its region, and localValues against localState.
t.test('localState - gradients of a random 5-8-8-8 net match the slope inside the region; localValues gives the same numbers', async (t) => {
  const net = generateNetwork({ architecture: [5, 8, 8, 8, 1], seed: 3 });
  const hidden = net.layers.slice(0, 3);
  const x = Float64Array.from([0.3, -0.2, 0.5, 0.1, -0.4]);
  const s = localState(hidden, x), v = localValues(hidden, x);
  for (let l = 0; l < 3; l++) {
    t.same([...v.zetas[l]], [...s.zetas[l]], `layer ${l + 1}: the same pre-activations`);
    t.same([...v.activations[l]], [...s.activations[l]], `layer ${l + 1}: the same activations`);
  }
  const h = 1e-7;
  let worst = 0;
  for (let i = 0; i < 5; i++) {
    const y = Float64Array.from(x);
    y[i] += h;
    const z = localState(hidden, y).zetas[2];
    for (let j = 0; j < 8; j++) worst = Math.max(worst, Math.abs((z[j] - s.zetas[2][j]) / h - s.grads[2][j * 5 + i]));
  }
  t.ok(worst < 1e-6, `finite differences agree (worst ${worst.toExponential(1)})`);
});
