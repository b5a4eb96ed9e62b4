import t from 'tap';
import { forward, preActivations, parseNetwork, generateNetwork, canonicalize, architecture, parameterCount, parseArchitecture } from '../src/index.js';

// 2-3-1 network; expected values computed by hand below.
const net = parseNetwork({
  format: 'relu-net', version: 1,
  layers: [
    { weights: [[1, 0], [0, 1], [1, -1]], biases: [0, -1, 0.5] },
    { weights: [[2, -1, 1]], biases: [0.5] },
  ],
});

t.test('forward - hand-computed 2-3-1 network', async (t) => {
  // x=(1,2): z=(1, 1, -0.5) -> h=(1,1,0) -> y = 2 - 1 + 0 + 0.5 = 1.5
  // x=(-1,0): z=(-1,-1,-0.5) -> h=0 -> y = 0.5
  // x=(3,0): z=(3,-1,3.5) -> h=(3,0,3.5) -> y = 6 + 3.5 + 0.5 = 10
  // batch of 5 exercises both the 4-row block and the tail.
  const x = Float64Array.from([1, 2, -1, 0, 3, 0, 1, 2, 3, 0]);
  t.same(Array.from(forward(net, x, 5)), [1.5, 0.5, 10, 1.5, 10]);
  t.throws(() => forward(net, new Float64Array(3), 2), RangeError);
  const z = preActivations(net, x.subarray(0, 2), 1);
  t.same(Array.from(z[0]), [1, 1, -0.5]);
  t.same(Array.from(z[1]), [1.5]);
});

t.test('forward - batched equals row by row, and canonicalize keeps the function', async (t) => {
  const g = generateNetwork({ architecture: [10, 20, 20, 3], seed: 2 });
  t.same(architecture(g), [10, 20, 20, 3]);
  t.equal(parameterCount(g), 20 * 11 + 20 * 21 + 3 * 21);
  const rows = 37;
  const x = Float64Array.from({ length: rows * 10 }, (_, i) => Math.sin(i * 1.7) * 2);
  const all = forward(g, x, rows);
  for (let r = 0; r < rows; r++) {
    const one = forward(g, x.subarray(r * 10, (r + 1) * 10), 1);
    t.equal(one[0], all[r * 3]);
  }
  const c = canonicalize(g);
  const yc = forward(c, x, rows);
  let worst = 0;
  for (let i = 0; i < yc.length; i++) worst = Math.max(worst, Math.abs(yc[i] - all[i]));
  t.ok(worst < 1e-12, `canonical form computes the same function (max diff ${worst} < 1e-12)`);
  for (let i = 0; i < 20; i++) {
    const row = c.layers[0].weights.subarray(i * 10, i * 10 + 10);
    t.ok(Math.abs(Math.hypot(...row) - 1) < 1e-15);
  }
});

t.test('generate - inits are deterministic and shaped as documented', async (t) => {
  const a = generateNetwork({ architecture: [4, 6, 1], seed: 9, init: 'carlini' });
  const b = generateNetwork({ architecture: [4, 6, 1], seed: 9, init: 'carlini' });
  t.same(Array.from(a.layers[0].weights), Array.from(b.layers[0].weights));
  t.same(Array.from(a.layers[0].biases), [0, 0, 0, 0, 0, 0], 'carlini has zero biases');
  const bal = generateNetwork({ architecture: [8, 16, 1], seed: 1, init: 'balanced' });
  const n = 4000;
  const x = Float64Array.from({ length: n * 8 }, (_, i) => Math.sqrt(-2 * Math.log((i * 0.618033 % 1) || 0.5)) * Math.cos(i * 2.399));
  const z = preActivations(bal, x, n)[0];
  for (let i = 0; i < 16; i++) {
    let active = 0;
    for (let r = 0; r < n; r++) if (z[r * 16 + i] > 0) active++;
    t.ok(active / n > 0.35 && active / n < 0.65, `balanced neuron ${i} active on ${(active / n).toFixed(2)} of inputs`);
  }
  t.throws(() => generateNetwork({ architecture: [3], seed: 1 }), RangeError);
  t.throws(() => generateNetwork({ architecture: [3, 2], seed: 1, init: 'xavier' as never }), /options.init/);
  t.same(parseArchitecture('10-20-1'), [10, 20, 1]);
  t.throws(() => parseArchitecture('10-x-1'), /architecture must look like/);
});
