import t from 'tap';
import { denseLayer } from '@relurec/network';
import { deepestJointInput, loadMilpSolver } from '../src/index.js';

// One input; layer 1: a = ReLU(x), b = ReLU(-x). Layer 2: z0 = ReLU(b - 0.5) (on only for x < -0.5,
// where a is off), z1 = ReLU(a + b - 1) (on for |x| > 1).
const layer1 = denseLayer(1, 2, Float64Array.from([1, -1]), new Float64Array(2));
const layer2 = denseLayer(2, 2, Float64Array.from([0, 1, 1, 1]), Float64Array.from([-0.5, -1]));
const layers = [layer1, layer2];

t.test('deepestJointInput - a pair never on together is proved so', async (t) => {
  const v = deepestJointInput(await loadMilpSolver(), layers, 0, 0, { halfWidth: 10 });
  t.equal(v.kind, 'none');
  // Largest min(zeta_z0, a) over [-10, 10]: at x = -0.25 both are -0.25.
  if (v.kind === 'none') t.ok(Math.abs(v.bound + 0.25) < 1e-6, `bound -0.25 (${v.bound})`);
});

t.test('deepestJointInput - the deepest input inside both, at the edge of the box', async (t) => {
  const solver = await loadMilpSolver();
  const v = deepestJointInput(solver, layers, 1, 0, { halfWidth: 10 });
  t.equal(v.kind, 'found');
  if (v.kind !== 'found') return;
  t.ok(Math.abs(v.input[0] - 10) < 1e-6, `x = 10 (${v.input[0]})`);
  t.ok(Math.abs(v.margin - 9 / Math.SQRT2) < 1e-6, `margin min(9 / sqrt 2, 10) (${v.margin})`);
  const w = deepestJointInput(solver, layers, 0, 1, { halfWidth: 10 });
  t.ok(w.kind === 'found' && Math.abs(w.input[0] + 10) < 1e-6 && Math.abs(w.margin - 9.5) < 1e-6, 'z0 with b: x = -10, margin 9.5');
  // b kept off as well: the same input (b's margin there is 10).
  const k = deepestJointInput(solver, layers, 1, 0, { halfWidth: 10, off: [1] });
  t.ok(k.kind === 'found' && Math.abs(k.margin - 9 / Math.SQRT2) < 1e-6, 'with b kept off');
  // On z1's boundary (x = +-1) with a on: x = 1, a's margin 1.
  const edge = deepestJointInput(solver, layers, 1, 0, { halfWidth: 10, onBoundary: true });
  t.ok(edge.kind === 'found' && Math.abs(edge.input[0] - 1) < 1e-6 && Math.abs(edge.margin - 1) < 1e-6, `on z1's boundary: x = 1 (${edge.kind === 'found' ? edge.input[0] : edge.kind})`);
  // z0's boundary (x = -0.5) never has a on.
  t.equal(deepestJointInput(solver, layers, 0, 0, { halfWidth: 10, onBoundary: true }).kind, 'none', "a is off on z0's boundary");
  // z1 with a, z0 kept off: z0 is off for every x > 0 (as at x = 10).
  const apart = deepestJointInput(solver, layers, 1, 0, { halfWidth: 10, offAbove: [0] });
  t.ok(apart.kind === 'found' && Math.abs(apart.input[0] - 10) < 1e-6, 'z1 and a on with z0 off: x = 10');
  // z1 with b, z0 kept off: z1 on needs x < -1, z0 off needs x >= -0.5.
  t.equal(deepestJointInput(solver, layers, 1, 1, { halfWidth: 10, offAbove: [0] }).kind, 'none', 'z1 never acts with b while z0 is off');
  // a kept off while z0 and b are on: a is off for every x < 0.
  const n = deepestJointInput(solver, layers, 1, 0, { halfWidth: 0.5 });
  t.equal(n.kind, 'none', 'z1 is off everywhere in [-0.5, 0.5]');
});

// 4 inputs, hidden 7-1: the layer-2 neuron ReLU(0.3 h0 + 2000 h1 + h2 - 2000 (|x2| + |x3|)) is on
// together with h0 = ReLU(x0) only while x1 + 0.3 x0 > 2000 (|x2| + |x3|): about 1e-7 of N(0, I)
// inputs (the judge's unusedWeights test misses it without its ascent).
t.test('deepestJointInput - a sliver no sample reaches', async (t) => {
  const l1 = denseLayer(4, 7, Float64Array.from([1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, -1]), new Float64Array(7));
  const l2 = denseLayer(7, 1, Float64Array.from([0.3, 2000, 1, -2000, -2000, -2000, -2000]), new Float64Array(1));
  const v = deepestJointInput(await loadMilpSolver(), [l1, l2], 0, 0, { halfWidth: 1 });
  t.equal(v.kind, 'found');
  if (v.kind !== 'found') return;
  // At x = (1, 1, 0, 0): zeta = 1.3 over a row of norm sqrt(0.09 + 1 + 5 * 2000^2).
  t.ok(Math.abs(v.margin - 1.3 / Math.sqrt(0.09 + 1 + 5 * 2000 ** 2)) < 1e-9, `margin (${v.margin})`);
  t.ok(Math.abs(v.input[0] - 1) < 1e-6 && Math.abs(v.input[1] - 1) < 1e-6, `at x0 = x1 = 1 (${Array.from(v.input)})`);
});

// Two inputs; layer 1: a = ReLU(x0), c = ReLU(x1); layer 2: z = ReLU(a - 1). On z's boundary (x0 = 1)
// a's margin is 1; kept clear of c's boundary too, |x1| >= 1 (the box allows up to 3).
t.test('deepestJointInput - on the boundary, clear of every other boundary', async (t) => {
  const l1 = denseLayer(2, 2, Float64Array.from([1, 0, 0, 1]), new Float64Array(2));
  const l2 = denseLayer(2, 1, Float64Array.from([1, 0]), Float64Array.from([-1]));
  const v = deepestJointInput(await loadMilpSolver(), [l1, l2], 0, 0, { halfWidth: 3, onBoundary: true, awayFromOthers: true });
  t.equal(v.kind, 'found');
  if (v.kind !== 'found') return;
  t.ok(Math.abs(v.input[0] - 1) < 1e-6, `on z's boundary: x0 = 1 (${v.input[0]})`);
  t.ok(Math.abs(v.input[1]) >= 1 - 1e-6, `clear of c's boundary by a's margin: |x1| >= 1 (${v.input[1]})`);
  t.ok(Math.abs(v.margin - 1) < 1e-6, `margin 1 (${v.margin})`);
});

t.test('deepestJointInput - bad arguments are named', async (t) => {
  const solver = await loadMilpSolver();
  t.throws(() => deepestJointInput(solver, [layer1], 0, 0, { halfWidth: 1 }), { name: 'RangeError', message: /at least two layers/ });
  t.throws(() => deepestJointInput(solver, layers, 2, 0, { halfWidth: 1 }), { message: /neuron z = 2 is not in the top layer \(width 2\)/ });
  t.throws(() => deepestJointInput(solver, layers, 0, 5, { halfWidth: 1 }), { message: /neuron i = 5/ });
  t.throws(() => deepestJointInput(solver, layers, 0, 0, { halfWidth: 0 }), { message: /halfWidth must be positive/ });
  t.throws(() => deepestJointInput(solver, layers, 0, 0, { halfWidth: 1, off: [0] }), { message: /off neuron 0/ });
  t.throws(() => deepestJointInput(solver, layers, 0, 0, { halfWidth: 1, offAbove: [0] }), { message: /offAbove neuron 0 is not another neuron of z's layer/ });
});
