import t from 'tap';
import { denseLayer, forward, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { unseenWeightsFromOutputs } from '../src/deeper/unseenWeightsFromOutputs.js';

// Layer 1: a = x0, b = x1, c = 1 - x0. Layer 2: z = 0.5 a + 0.2 b + 0.4 c + 1 (on wherever a, b are),
// u = a - b - 0.7 c - 1 (off wherever c is: there a < 1). Layer 3: y = 2 z - u (through ReLUs).
// The model has z's and u's weights from c at 0: z's acts (z is on where c is), u's nowhere.
const layer1 = denseLayer(2, 3, Float64Array.from([1, 0, 0, 1, -1, 0]), Float64Array.from([0, 0, 1]));
const layer2 = (wz: number, wu: number) => denseLayer(3, 2, Float64Array.from([0.5, 0.2, wz, 1, -1, wu]), Float64Array.from([1, -1]));
const layer3 = denseLayer(2, 1, Float64Array.from([2, -1]), new Float64Array(1));
const truth: DenseLayer[] = [layer1, layer2(0.4, -0.7), layer3];
const model: DenseLayer[] = [layer1, layer2(0, 0), layer3];
const rng = createRng(3);
// Inputs where c is on (x0 < 1), a and b on too.
const xs = Array.from({ length: 12 }, () => Float64Array.of(0.9 * rng.nextDouble(), 2 * rng.nextDouble()));
const ys = xs.map((x) => forward({ name: 'truth', meta: {}, layers: truth }, x, 1));
const pairs = [{ layer: 2, neuron: 0, input: 2 }, { layer: 2, neuron: 1, input: 2 }];

t.test('a middle-layer weight that acts is fitted to the outputs, one that acts nowhere is left', async (t) => {
  const fit = unseenWeightsFromOutputs(model, pairs, xs, ys, { scale: 1 });
  t.same(fit.acting, [true, false]);
  t.ok(Math.abs(fit.weights[0] - 0.4) < 1e-12, `z <- c: ${fit.weights[0]} (truth 0.4)`);
  t.equal(fit.weights[1], 0, 'u <- c left as given');
  t.ok(fit.before > 0.1, `misfit before ${fit.before}`);
  t.ok(fit.after < 1e-13, `misfit after ${fit.after.toExponential(1)}`);
  t.equal(fit.layers[1].weights[2], fit.weights[0], 'the layers carry the fitted weight');
  t.equal(model[1].weights[2], 0, 'the given layers are not changed');
});

t.test('a weight with no point where it acts: nothing moves', async (t) => {
  // Inputs where c is off (x0 > 1): neither weight acts.
  const far = [Float64Array.of(1.5, 0.3), Float64Array.of(2, 1)];
  const fit = unseenWeightsFromOutputs(model, pairs, far, far.map((x) => forward({ name: 'truth', meta: {}, layers: truth }, x, 1)), { scale: 1 });
  t.same(fit.acting, [false, false]);
  t.equal(fit.after, fit.before);
  t.ok(fit.after < 1e-15, 'the model matches there');
});

t.test('bad input names what is wrong', async (t) => {
  t.throws(() => unseenWeightsFromOutputs(model, [{ layer: 3, neuron: 0, input: 0 }], xs, ys, { scale: 1 }), /layer 3 is not a hidden layer/);
  t.throws(() => unseenWeightsFromOutputs(model, [{ layer: 2, neuron: 2, input: 0 }], xs, ys, { scale: 1 }), /no weight \(2, 0\)/);
  t.throws(() => unseenWeightsFromOutputs(model, pairs, xs, ys.slice(1), { scale: 1 }), /12 points but 11 outputs/);
});

// Two weights from c into neurons on together wherever c is (at the first points): the output moves
// with each only through U_z c and U_v c, collinear columns, so the points give their combination
// alone. z as above; v = -0.3 a + 0.1 b + wv c + 0.2 (with wv = -0.2 on where x1 > x0, with 0 on
// where 0.1 x1 + 0.2 > 0.3 x0); y = 2 z + v.
t.test('weights the points give only in combination are flagged undetermined; points that separate them pin each', async (t) => {
  const l2 = (wz: number, wv: number) => denseLayer(3, 2, Float64Array.from([0.5, 0.2, wz, -0.3, 0.1, wv]), Float64Array.from([1, 0.2]));
  const l3 = denseLayer(2, 1, Float64Array.from([2, 1]), new Float64Array(1));
  const truthBoth: DenseLayer[] = [layer1, l2(0.4, -0.2), l3], start: DenseLayer[] = [layer1, l2(0, 0), l3];
  const out = (x: Float64Array) => forward({ name: 'truth', meta: {}, layers: truthBoth }, x, 1);
  const r = createRng(5);
  const together = Array.from({ length: 10 }, () => Float64Array.of(0.9 * r.nextDouble(), 2 + r.nextDouble()));
  const zAlone = Array.from({ length: 6 }, () => Float64Array.of(0.8 + 0.1 * r.nextDouble(), 0.1 * r.nextDouble()));
  const both = [{ layer: 2, neuron: 0, input: 2 }, { layer: 2, neuron: 1, input: 2 }];
  const combined = unseenWeightsFromOutputs(start, both, together, together.map(out), { scale: 1 });
  t.same(combined.acting, [true, true], 'both act');
  t.same(combined.undetermined, [true, true], 'neither is given on its own');
  t.ok(Math.abs(2 * combined.weights[0] + combined.weights[1] - 0.6) < 1e-9, `their combination 2 wz + wv is (${2 * combined.weights[0] + combined.weights[1]})`);
  const xs2 = [...together, ...zAlone];
  const apart = unseenWeightsFromOutputs(start, both, xs2, xs2.map(out), { scale: 1 });
  t.same(apart.undetermined, [false, false], 'with inputs where v is off, each is given');
  t.ok(Math.abs(apart.weights[0] - 0.4) < 1e-12 && Math.abs(apart.weights[1] + 0.2) < 1e-12, `wz ${apart.weights[0]}, wv ${apart.weights[1]} (truth 0.4, -0.2)`);
});
