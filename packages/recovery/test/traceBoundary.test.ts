import t from 'tap';
import { Probe } from '@relurec/geometry';
import { denseLayer, forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances, predictCrossings, solveCandidate, traceBoundary } from '../src/index.js';

// A generated 10-12-6-1 network; layer 1 known exactly (canonical rows, true signs), so a layer-2
// neuron in the unsigned form is c_j = W2[z, j] |W1_j|, lambda = 0, bias b2_z.
const truth = generateNetwork({ architecture: [10, 12, 6, 1], seed: 3, init: 'rk' });
const [l1, l2] = truth.layers;
const n0 = l1.inDim, n1 = l1.outDim;
const W = new Float64Array(l1.weights.length), B = new Float64Array(n1), norms = new Float64Array(n1);
for (let j = 0; j < n1; j++) {
  norms[j] = Math.hypot(...l1.weights.subarray(j * n0, (j + 1) * n0));
  for (let i = 0; i < n0; i++) W[j * n0 + i] = l1.weights[j * n0 + i] / norms[j];
  B[j] = l1.biases[j] / norms[j];
}
const known = [denseLayer(n0, n1, W, B)];

t.test('traceBoundary - one-kink crossings: exact points, the true row, a few queries per crossing', async (t) => {
  const rng = createRng(11);
  let checked = 0;
  for (let z = 0; z < l2.outDim && checked < 3; z++) {
    const cand = { c: Float64Array.from({ length: n1 }, (_, j) => l2.weights[z * n1 + j] * norms[j]), lambda: new Float64Array(n0), bias: l2.biases[z] };
    // A seed on z's boundary with its exact normal, where some neuron can be crossed.
    let seed: { point: Float64Array; normal: Float64Array } | undefined;
    for (let s = 0; s < 50 && !seed; s++) seed = predictCrossings(known, cand, rng.gaussianArray(n0), rng.gaussianArray(n0))[0];
    if (!seed) continue;
    checked++;
    const probe = new Probe(async (x, rows) => forward(truth, x, rows), { inputDim: n0, outputDim: 1 });
    const tol = makeTolerances(1, 1);
    const tr = await traceBoundary({ probe, tol, rng: rng.fork(`z${z}`), log: () => {} }, known, seed);
    const sol = solveCandidate(known, tr.points);
    t.ok(sol.closure < 1e-12, `neuron ${z}: closure ${sol.closure.toExponential(1)} (exact points only)`);
    t.ok(sol.pinning > 1e-6, `neuron ${z}: pinned (${sol.pinning.toExponential(1)})`);
    // Compare on the columns the trace saw switching (others are unseen or held in lambda).
    const seenCols = [...tr.seen].filter((j) => !sol.unseenColumns.includes(j) && !sol.alwaysActiveColumns.includes(j));
    t.ok(seenCols.length >= n1 / 2, `neuron ${z}: ${seenCols.length} columns seen switching and solved`);
    const j0 = seenCols.reduce((a, j) => (Math.abs(cand.c[j]) > Math.abs(cand.c[a]) ? j : a), seenCols[0]);
    const s = sol.c[j0] / cand.c[j0];
    const err = Math.max(...seenCols.map((j) => Math.abs(sol.c[j] / s - cand.c[j])));
    t.ok(err < 1e-9, `neuron ${z}: seen weights within ${err.toExponential(1)} of the truth (${seenCols.length} seen)`);
    const perCrossing = probe.spent / Math.max(1, tr.crossings);
    t.ok(perCrossing < 16, `neuron ${z}: ${probe.spent} queries for ${tr.crossings} crossings (${tr.predicted} predicted), ${perCrossing.toFixed(1)} each`);
  }
  t.ok(checked >= 2, `${checked} neurons traced`);
});
