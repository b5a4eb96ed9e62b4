import t from 'tap';
import { denseLayer, forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { oneOutputActiveCandidates } from '../src/deeper/oneOutputActiveCandidates.js';
import { lowestPoints } from '../src/known/lowestPoints.js';
import { localValues } from '../src/known/localState.js';

// 10-20-20-20-1 (generateNetwork, rk, seed 2): layer-3 neuron 4 is active on every N(0, I) input and
// off only in a cone of under 1/20000 of the directions at 10-100 domain scales. With one output,
// the unsigned output fit absorbs it and every flip pattern of the other 19 fits with its own row.
const truth = generateNetwork({ architecture: [10, 20, 20, 20, 1], seed: 2, init: 'rk' });
const [l1, l2, l3] = truth.layers;
const n = l3.inDim, missing = 4, flipped = [2, 7];
// The known layer 3: the truth without neuron 4, neurons 2 and 7 with the other sign.
const keep = Array.from({ length: l3.outDim }, (_, z) => z).filter((z) => z !== missing);
const W = new Float64Array(keep.length * n), B = new Float64Array(keep.length);
keep.forEach((z, r) => {
  const s = flipped.includes(z) ? -1 : 1;
  for (let j = 0; j < n; j++) W[r * n + j] = s * l3.weights[z * n + j];
  B[r] = s * l3.biases[z];
});
const known = [l1, l2, denseLayer(n, keep.length, W, B)];
const trueRow = Array.from(l3.weights.subarray(missing * n, (missing + 1) * n));
const unit = trueRow.map((v) => v / Math.hypot(...trueRow));
const rng = createRng(11);
// Samples at 1, 3 and 10 domain scales, as a run takes them: at one scale some neurons never switch
// and the fit cannot split their columns from Lambda.
const xs = [1, 3, 10].flatMap((s) => Array.from({ length: 150 }, () => rng.gaussianArray(10).map((v) => s * v)));
const far = Array.from({ length: 2000 }, () => rng.gaussianArray(10).map((v) => 100 * v));
const rowError = (row: Float64Array) => Math.max(...unit.map((v, j) => Math.abs(v - row[j])));

t.test('oneOutputActiveCandidates - the true row is among the flip patterns that stay one-signed far out (10-20-20-20-1 rk 2)', async (t) => {
  t.ok(xs.every((x) => localValues([l1, l2, l3], x).zetas[2][missing] > 0), 'the neuron is active on every sample');
  const one = oneOutputActiveCandidates(known, xs, xs.map((x) => forward(truth, x, 1)), far);
  t.ok(one, 'the output fit closes');
  t.same(one!.outliers, [], 'on every sample');
  const hit = one!.candidates.find((c) => rowError(c.row) < 1e-9);
  t.ok(hit, `the true row (oriented active) among ${one!.candidates.length} candidates (of 2^19 patterns)`);
  t.same(hit!.flips, [2, 6], 'with the flips of known neurons 2 and 7 (rows 2 and 6 of the known layer)');
  t.ok(one!.candidates.length < 512, 'the far points cut the patterns to a few hundred at most');
});

t.test('oneOutputActiveCandidates - a sample inside the cone is left out of the fit and named', async (t) => {
  // Where the true row is lowest at 10 and 30 domain scales (query-free on the true layers 1-2).
  const lows = lowestPoints([l1, l2], Float64Array.from(trueRow), xs.slice(0, 4), { radii: [10, 30] }).map((p) => p.point);
  const inCone = lows.filter((x) => localValues([l1, l2, l3], x).zetas[2][missing] < 0);
  t.ok(inCone.length > 0, 'the descent reaches the cone');
  const samples = [...xs, inCone[0]];
  const one = oneOutputActiveCandidates(known, samples, samples.map((x) => forward(truth, x, 1)), far);
  t.ok(one, 'the fit closes without it');
  t.same(one!.outliers, [xs.length], 'the cone sample is the one left out');
  t.ok(one!.candidates.some((c) => rowError(c.row) < 1e-9), 'and the true row is still a candidate');
});

t.test('oneOutputActiveCandidates - no answer when another neuron is missing or with two outputs', async (t) => {
  // Neuron 0 is active on 71 % of inputs: without it the fit does not close on all samples but 8.
  const less = [l1, l2, denseLayer(n, keep.length - 1, W.slice(n), B.slice(1))];
  t.equal(oneOutputActiveCandidates(less, xs, xs.map((x) => forward(truth, x, 1)), far), undefined, 'another neuron missing');
  t.equal(oneOutputActiveCandidates(known, xs, xs.map((x) => Float64Array.of(forward(truth, x, 1)[0], 0)), far), undefined, 'two outputs: missingActiveRow reads the row');
});
