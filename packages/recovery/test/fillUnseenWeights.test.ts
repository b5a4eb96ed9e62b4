import t from 'tap';
import { denseLayer, forward, generateNetwork, preActivations, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { hypot } from '@relurec/linalg';
import { createRng } from '@relurec/random';
import { fillUnseenWeights, type UnseenWeight, type WeakDirection } from '../src/deeper/fillUnseenWeights.js';
import { predictCrossings, solveCandidate } from '../src/index.js';
import { fillUnseenWeightsReference } from './fixtures/fillUnseenWeightsReference.js';

// Generated networks are the ground truth: the hidden layers are given with some weights of the last
// hidden layer zeroed (or a bias moved), and the fill must give the generated values back from the
// samples' outputs alone. Exact to rounding: expected within 1e-9, output fit residual below 1e-9.

function samplesOf(net: ReluNetwork, rows: number, seed: number) {
  const n0 = net.layers[0].inDim, m = net.layers.at(-1)!.outDim;
  const X = createRng(seed).gaussianArray(rows * n0);
  const Y = forward(net, X, rows);
  return {
    X,
    xs: Array.from({ length: rows }, (_, r) => X.slice(r * n0, (r + 1) * n0)),
    ys: Array.from({ length: rows }, (_, r) => Y.slice(r * m, (r + 1) * m)),
  };
}

/** The hidden layers of `net` with the listed weights of the last hidden layer set to 0. */
function withZeroed(net: ReluNetwork, unseen: UnseenWeight[]) {
  const hidden = net.layers.slice(0, -1), top = hidden.at(-1)!;
  const W = Float64Array.from(top.weights);
  for (const u of unseen) W[u.neuron * top.inDim + u.input] = 0;
  return [...hidden.slice(0, -1), denseLayer(top.inDim, top.outDim, W, top.biases)];
}

/** Samples on which last-layer neuron z and its input j (a layer L-1 neuron) are both active. */
function bothActive(net: ReluNetwork, X: Float64Array, rows: number, { neuron, input }: UnseenWeight): number {
  const Z = preActivations(net, X, rows), L = net.layers.length - 1;
  const nL = net.layers[L - 1].outDim, n = net.layers[L - 1].inDim;
  let count = 0;
  for (let r = 0; r < rows; r++) if (Z[L - 1][r * nL + neuron] > 0 && Z[L - 2][r * n + input] > 0) count++;
  return count;
}

const deep = generateNetwork({ architecture: [5, 8, 8, 8, 1], seed: 1, init: 'rk' });
const deepUnseen: UnseenWeight[] = [{ neuron: 0, input: 1 }, { neuron: 3, input: 3 }, { neuron: 5, input: 2 }];
const deepRows = 400;

t.test('fillUnseenWeights - three zeroed last-layer weights come back (generated 5-8-8-8-1, 3 hidden layers)', async (t) => {
  const { X, xs, ys } = samplesOf(deep, deepRows, 7);
  for (const u of deepUnseen) t.ok(bothActive(deep, X, deepRows, u) >= 50, `neuron ${u.neuron} and its input ${u.input} both active on >= 50 of ${deepRows} samples`);
  const filled = fillUnseenWeights(withZeroed(deep, deepUnseen), deepUnseen, xs, ys);
  const truth = deep.layers[2];
  for (const { neuron, input } of deepUnseen) {
    const at = neuron * truth.inDim + input;
    t.ok(Math.abs(filled.layer.weights[at] - truth.weights[at]) <= 1e-9, `weight (${neuron}, ${input}) = ${filled.layer.weights[at]}, generated ${truth.weights[at]} (to 1e-9)`);
  }
  t.same(filled.undetermined, []);
  t.same(filled.confounded, [], 'each determined on its own');
  t.ok(filled.before > 1e-3, `before ${filled.before}: the zeroed weights show in the fit`);
  t.ok(filled.after < 1e-9, `after ${filled.after} < 1e-9`);
});

t.test('fillUnseenWeights - the same weights as the pre-Gram implementation (every trial an SVD fit) to 1e-10', async (t) => {
  const { xs, ys } = samplesOf(deep, deepRows, 7);
  const known = withZeroed(deep, deepUnseen);
  const fast = fillUnseenWeights(known, deepUnseen, xs, ys);
  const reference = fillUnseenWeightsReference(known, deepUnseen, xs, ys);
  let diff = 0;
  for (let k = 0; k < fast.layer.weights.length; k++) diff = Math.max(diff, Math.abs(fast.layer.weights[k] - reference.layer.weights[k]));
  t.ok(diff <= 1e-10, `largest weight difference ${diff} <= 1e-10`);
  t.same(fast.undetermined, reference.undetermined);
  t.ok(Math.abs(fast.before - reference.before) <= 1e-12, `before ${fast.before} vs ${reference.before}`);
});

t.test('fillUnseenWeights - two outputs, a weight no sample sees, a weakly pinned bias (generated 5-8-8-2)', async (t) => {
  const base = generateNetwork({ architecture: [5, 8, 8, 2], seed: 2, init: 'rk' });
  // Layer-1 neuron 6 is made dead on every sample (bias -50 on N(0, I) inputs): weight (z, 6) of
  // layer 2 acts nowhere, so it is undetermined and left at 0.
  const b1 = Float64Array.from(base.layers[0].biases);
  b1[6] = -50;
  const net: ReluNetwork = { ...base, layers: [denseLayer(5, 8, base.layers[0].weights, b1), ...base.layers.slice(1)] };
  const rows = 400;
  const { X, xs, ys } = samplesOf(net, rows, 11);
  const seen = { neuron: 1, input: 4 }, blind = { neuron: 2, input: 6 };
  t.ok(bothActive(net, X, rows, seen) >= 50, 'the seen weight acts on >= 50 samples');
  t.equal(bothActive(net, X, rows, blind), 0, 'the blind weight acts on no sample');
  const unseen = [seen, blind];
  const known = withZeroed(net, unseen);
  // Weak direction: neuron 4's bias, moved by 1e-4 (as a boundary that pins it badly would leave it).
  const top = known[1], moved = Float64Array.from(top.biases);
  moved[4] += 1e-4;
  const weak: WeakDirection[] = [{ neuron: 4, direction: Float64Array.from({ length: 9 }, (_, i) => (i === 8 ? 1 : 0)) }];
  const given = [known[0], denseLayer(8, 8, top.weights, moved)];
  const filled = fillUnseenWeights(given, unseen, xs, ys, 4, 8, weak);
  const truth = net.layers[1];
  t.ok(Math.abs(filled.layer.weights[seen.neuron * 8 + seen.input] - truth.weights[seen.neuron * 8 + seen.input]) <= 1e-9, 'the seen weight to 1e-9');
  t.equal(filled.layer.weights[blind.neuron * 8 + blind.input], 0, 'the blind weight left at 0');
  t.same(filled.undetermined, [blind]);
  t.ok(Math.abs(filled.layer.biases[4] - truth.biases[4]) <= 1e-9, `the weak bias back to ${truth.biases[4]} (to 1e-9): ${filled.layer.biases[4]}`);
  t.ok(filled.after < 1e-9, `after ${filled.after} < 1e-9 (max over both outputs)`);
  const reference = fillUnseenWeightsReference(given, unseen, xs, ys, 4, 8, weak);
  let diff = 0;
  for (let k = 0; k < 64; k++) diff = Math.max(diff, Math.abs(filled.layer.weights[k] - reference.layer.weights[k]));
  for (let k = 0; k < 8; k++) diff = Math.max(diff, Math.abs(filled.layer.biases[k] - reference.layer.biases[k]));
  t.ok(diff <= 1e-10, `as the pre-Gram implementation: largest difference ${diff} <= 1e-10`);
  t.same(reference.undetermined, filled.undetermined);
});

t.test('fillUnseenWeights - a weak direction with its boundary points: noisy function values do not move an exact row (generated 5-8-8-1)', async (t) => {
  const net = generateNetwork({ architecture: [5, 8, 8, 1], seed: 3, init: 'rk' });
  const [l1, l2] = net.layers, z = 2;
  const cand = { c: l2.weights.slice(z * 8, (z + 1) * 8), lambda: new Float64Array(0), bias: l2.biases[z] };
  const rng = createRng(5), points: Float64Array[] = [];
  while (points.length < 40) points.push(...predictCrossings([l1], cand, rng.gaussianArray(5).map((v) => 2 * v), rng.gaussianArray(5).map((v) => 2 * v), 64, true).map((p) => p.point));
  const sol = solveCandidate([l1], points, { signed: true, weak: true });
  t.ok(sol.closure < 1e-13, `exact points close (${sol.closure.toExponential(1)})`);
  // Outputs off by ~1e-12 of their scale, as the other rows' errors leave them.
  const { xs, ys } = samplesOf(net, 400, 13);
  const scale = Math.max(...ys.map((y) => Math.abs(y[0])));
  const noisy = ys.map((y) => Float64Array.of(y[0] + 1e-12 * scale * rng.nextGaussian()));
  const rowError = (layer: DenseLayer) => {
    const n = layer.inDim, s = hypot([...layer.weights.subarray(z * n, (z + 1) * n), layer.biases[z]]) / hypot([...cand.c, cand.bias]);
    return Math.max(Math.abs(layer.biases[z] / s - cand.bias), ...Array.from(cand.c, (v, j) => Math.abs(layer.weights[z * n + j] / s - v)));
  };
  const withPoints = fillUnseenWeights(net.layers.slice(0, 2), [], xs, noisy, 4, 0, [{ neuron: z, direction: sol.weakDirection!, points }]);
  const alone = fillUnseenWeights(net.layers.slice(0, 2), [], xs, noisy, 4, 0, [{ neuron: z, direction: sol.weakDirection! }]);
  t.ok(rowError(withPoints.layer) < 1e-14, `with its points the row stays exact (${rowError(withPoints.layer).toExponential(1)})`);
  t.ok(rowError(alone.layer) > 10 * rowError(withPoints.layer), `function values alone move it (${rowError(alone.layer).toExponential(1)})`);
});

t.test('fillUnseenWeights - two neurons on at every sample with unseen weights from one input: confounded, reported', async (t) => {
  // Last-layer neurons 2 and 6 of the 5-8-8-8-1 made active on every sample (bias +30): where both
  // are on, only U_2 w_2j + U_6 w_6j shows in the output, so the samples give the two weights only
  // in combination (10-20-20-20-1 rk 2, another path: two layer-3 rows filled 0.18 and 0.36 off).
  const top = deep.layers[2], B = Float64Array.from(top.biases);
  B[2] += 30;
  B[6] += 30;
  const net: ReluNetwork = { ...deep, layers: [deep.layers[0], deep.layers[1], denseLayer(top.inDim, top.outDim, top.weights, B), deep.layers[3]] };
  const pair: UnseenWeight[] = [{ neuron: 2, input: 4 }, { neuron: 6, input: 4 }];
  const { X, xs, ys } = samplesOf(net, deepRows, 7);
  const Z = preActivations(net, X, deepRows);
  t.ok(Array.from({ length: deepRows }, (_, r) => r).every((r) => Z[2][r * 8 + 2] > 0 && Z[2][r * 8 + 6] > 0), 'both on at every sample');
  t.ok(bothActive(net, X, deepRows, pair[0]) >= 50, `input 4 on at ${bothActive(net, X, deepRows, pair[0])} samples`);
  const filled = fillUnseenWeights(withZeroed(net, pair), pair, xs, ys);
  t.ok(filled.after < 1e-9, `the fill fits the samples (${filled.after.toExponential(1)})`);
  t.same(filled.undetermined, [], 'neither is blind: each moved alone changes the fit');
  t.same(filled.confounded.map((c) => c.weight), pair, 'both confounded');
  t.same(filled.confounded.map((c) => c.with), [[pair[1]], [pair[0]]], 'each with the other');
  // And one of them alone is determined.
  const one = fillUnseenWeights(withZeroed(net, [pair[0]]), [pair[0]], xs, ys);
  t.same(one.confounded, [], 'one unseen weight from that input: determined');
  t.ok(Math.abs(one.layer.weights[2 * 8 + 4] - top.weights[2 * 8 + 4]) < 1e-9, 'and filled to the truth');
});
