import t from 'tap';
import { denseLayer, forward, generateNetwork, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { unsignedFitMisfit } from '../src/deeper/unsignedFitMisfit.js';

// 6-10-10-10-1 (generateNetwork, rk, seed 1): layer-2 neuron 2 is active on none of 1e5 N(0, 9 I)
// inputs and on ~0.5 % of N(0, 100 I). Known layers without it (and without its column in layer 3),
// layer 3 with some rows flipped (the signs of the last layer are unknown when the check runs).
const truth = generateNetwork({ architecture: [6, 10, 10, 10, 1], seed: 1, init: 'rk' });
const RARE = 2;
const drop = (l: DenseLayer, rows: number[], cols: number[]): DenseLayer => {
  const keepR = Array.from({ length: l.outDim }, (_, i) => i).filter((i) => !rows.includes(i));
  const keepC = Array.from({ length: l.inDim }, (_, j) => j).filter((j) => !cols.includes(j));
  return denseLayer(keepC.length, keepR.length, Float64Array.from(keepR.flatMap((i) => keepC.map((j) => l.weights[i * l.inDim + j]))), Float64Array.from(keepR, (i) => l.biases[i]));
};
const flip = (l: DenseLayer, rows: number[]): DenseLayer => denseLayer(l.inDim, l.outDim, l.weights.map((v, k) => (rows.includes(Math.floor(k / l.inDim)) ? -v : v)), l.biases.map((v, i) => (rows.includes(i) ? -v : v)));
const [L1, L2, L3] = truth.layers;
const known = [L1, drop(L2, [RARE], []), flip(drop(L3, [], [RARE]), [0, 3, 7])];
const complete = [L1, L2, flip(L3, [0, 3, 7])];
// The truth with the rare neuron's outgoing weights zeroed: where it differs, the neuron acts.
const without: ReluNetwork = { ...truth, layers: [L1, L2, denseLayer(L3.inDim, L3.outDim, L3.weights.map((v, k) => (k % L3.inDim === RARE ? 0 : v)), L3.biases), truth.layers[3]] };

const rng = createRng(11);
const xs = Array.from({ length: 300 }, () => rng.gaussianArray(6));
const ys = xs.map((x) => forward(truth, x, 1));
const testXs = Array.from({ length: 1500 }, () => rng.gaussianArray(6).map((v) => 10 * v));
const testYs = testXs.map((x) => forward(truth, x, 1));
const acts = testXs.map((x, i) => Math.abs(forward(without, x, 1)[0] - testYs[i][0]) > 1e-9 * Math.max(1, Math.abs(testYs[i][0])));

t.test('unsignedFitMisfit - misses exactly the inputs where a neuron missing from layer 2 acts (6-10-10-10-1 rk 1, 10 domain scales)', async (t) => {
  t.ok(acts.filter(Boolean).length >= 3, `the missing neuron acts on ${acts.filter(Boolean).length} of ${testXs.length} test inputs`);
  t.ok(xs.every((x) => forward(without, x, 1)[0] === forward(truth, x, 1)[0]), 'and on none of the fitted samples');
  const r = unsignedFitMisfit(known, xs, ys, testXs, testYs);
  t.ok(r.fitResidual < 1e-9, `the fit is exact on the rest (${r.fitResidual.toExponential(1)})`);
  const missed = r.misfits.map((e) => e > 1e-8);
  t.same(missed.map((m, i) => (m ? i : -1)).filter((i) => i >= 0), acts.map((a, i) => (a ? i : -1)).filter((i) => i >= 0), 'missed where it acts, nowhere else');
});

t.test('unsignedFitMisfit - layers that hold every neuron miss nothing, whatever the signs of the last layer', async (t) => {
  const r = unsignedFitMisfit(complete, xs, ys, testXs, testYs);
  t.ok(Math.max(...r.misfits) < 1e-9, `largest misfit ${Math.max(...r.misfits).toExponential(1)}`);
});

t.test('unsignedFitMisfit - bad input is named', async (t) => {
  t.throws(() => unsignedFitMisfit([L1], xs, ys, testXs, testYs), /two known layers/);
  t.throws(() => unsignedFitMisfit(known, xs.slice(0, 10), ys.slice(0, 10), testXs, testYs), /at least 40 fitted inputs, got 10/);
  t.throws(() => unsignedFitMisfit(known, xs, ys.slice(1), testXs, testYs), /differ in number/);
});
