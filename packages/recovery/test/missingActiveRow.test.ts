import t from 'tap';
import { denseLayer, forward, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { missingActiveRow } from '../src/deeper/missingActiveRow.js';
import { lowestPoints } from '../src/known/lowestPoints.js';

// A constructed 3-4-3-2 network. Layer-2 neurons 0 and 1 switch on N(0, I) inputs; neuron 2 has
// positive weights on every (non-negative) layer-1 activation and bias 1, so it is active on every
// input: its boundary does not exist, and only the output fit's Lambda block shows it.
const W1 = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0);
const b1 = Float64Array.of(0.1, -0.2, 0.3, 0);
const missing = Float64Array.of(0.5, 0.3, 0.2, 0.1);
const W2 = Float64Array.of(1, -1, 0.5, 0.2, -0.3, 0.8, -1, 0.4, ...missing);
const b2 = Float64Array.of(0.2, -0.1, 1);
const U = Float64Array.of(1.5, -0.7, 0.9, 0.4, 1.1, -1.3);
const truth: ReluNetwork = { name: 'truth', meta: {}, layers: [denseLayer(3, 4, W1, b1), denseLayer(4, 3, W2, b2), denseLayer(3, 2, U, Float64Array.of(0.05, -0.02))] };
const rng = createRng(3);
const xs = Array.from({ length: 200 }, () => rng.gaussianArray(3));
const ys = xs.map((x) => forward(truth, x, 1));
// The known layers: layer 1 as is, layer 2 without neuron 2 and with neuron 1's sign flipped.
const known = [truth.layers[0], denseLayer(4, 2, Float64Array.of(1, -1, 0.5, 0.2, 0.3, -0.8, 1, -0.4), Float64Array.of(0.2, 0.1))];

t.test('missingActiveRow - the row of a neuron active on every sample, and the flips, from the output fit (constructed 3-4-3-2)', async (t) => {
  const r = missingActiveRow(known, xs, ys);
  t.ok(r, 'found');
  const unit = Array.from(missing, (v) => v / Math.hypot(...missing));
  const sign = Math.sign(r!.row[0]);
  const err = Math.max(...unit.map((v, j) => Math.abs(v - sign * r!.row[j])));
  t.ok(err < 1e-9, `row error ${err.toExponential(1)} (< 1e-9; the fit is exact on these samples)`);
  t.same(Array.from(r!.flips), [0, 1], 'neuron 1 flipped');
  t.ok(r!.margin < 1e-6, `flip margin ${r!.margin.toExponential(1)}`);
});

t.test('missingActiveRow - nothing missing: no row', async (t) => {
  const complete = [truth.layers[0], truth.layers[1]];
  t.equal(missingActiveRow(complete, xs, ys), undefined);
  t.equal(missingActiveRow(known, xs, ys.map((y) => y.subarray(0, 1))), undefined, 'one output cannot separate it from the flips');
});

t.test('lowestPoints - the lowest point of c . h in the ball, at a vertex and on the sphere (hand computation)', async (t) => {
  // h = ReLU of x1 - a, -x1 + a, x2 - c, -x2 + c: with row (1, 1, 1, 1), c . h = |x1 - a| + |x2 - c|.
  const layer = (a: number, c: number) => denseLayer(2, 4, Float64Array.of(1, 0, -1, 0, 0, 1, 0, -1), Float64Array.of(-a, a, -c, c));
  const starts = [Float64Array.of(-1, 1), Float64Array.of(0.5, 0.9)];
  const inside = lowestPoints([layer(0.3, -0.2)], Float64Array.of(1, 1, 1, 1), starts, { radii: [1] });
  t.equal(inside.length, 1);
  t.ok(Math.hypot(inside[0].point[0] - 0.3, inside[0].point[1] + 0.2) < 1e-6, `vertex (0.3, -0.2) found: (${inside[0].point[0]}, ${inside[0].point[1]})`);
  t.ok(inside[0].value < 1e-6, 'value 0 there');
  // Minimum (3, 0) outside the ball of radius sqrt(2): lowest on the sphere at (sqrt(2), 0), value 3 - sqrt(2).
  const [onSphere] = lowestPoints([layer(3, 0)], Float64Array.of(1, 1, 1, 1), starts, { radii: [1] });
  t.ok(Math.abs(onSphere.value - (3 - Math.SQRT2)) < 1e-6, `value ${onSphere.value} = 3 - sqrt(2)`);
  t.ok(Math.hypot(onSphere.point[0] - Math.SQRT2, onSphere.point[1]) < 1e-3, 'at (sqrt(2), 0)');
  t.throws(() => lowestPoints([layer(0, 0)], Float64Array.of(1, 1), starts), RangeError);
});
