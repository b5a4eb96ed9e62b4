import t from 'tap';
import { denseLayer, forward, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances } from '../src/context/RecoveryContext.js';
import { judgePatternChangeTests, patternChangeTests, type PatternChangeTest } from '../src/deeper/patternChangeTests.js';
import { candidateValue } from '../src/deeper/Candidate.js';
import { localValues } from '../src/known/localState.js';
import { runTask } from '../src/tasks/runTask.js';
import { TaskKind } from '../src/tasks/TaskKind.js';
import type * as T from '../src/tasks/taskTypes.js';

// Layer 1 the identity on x in R^3 (h = relu(x)); layer 2: p = h0 - 0.5, a = h2 - 0.3, r = h1 - 1;
// layer 3: q = 2 relu(p) + relu(a) + relu(r) - 2; y = relu(q) + 0.3 relu(p) + 0.2 relu(a) + 0.1 relu(r).
// Where p is off and a, r on, q's boundary is h1 + h2 = 3.3: exactly a layer-2 row over layer 1, and
// a trace that never leaves p's off side cannot tell it from one. Where p is on it lies 2 (h0 - 0.5)
// further in: off its prediction as a layer-2 neuron.
const identity = denseLayer(3, 3, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), new Float64Array(3));
const layer2 = denseLayer(3, 3, Float64Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0]), Float64Array.from([-0.5, -0.3, -1]));
// Layer 3 holds q and copies of p, a and r (relu of a ReLU is itself), so the output adds their parts.
const blackBox: ReluNetwork = {
  name: 'pattern-change', meta: {},
  layers: [identity, layer2, denseLayer(3, 4, Float64Array.from([2, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]), Float64Array.from([-2, 0, 0, 0])), denseLayer(4, 1, Float64Array.from([1, 0.3, 0.2, 0.1]), new Float64Array(1))],
};
const env: T.TaskEnv = { inputDim: 3, outputDim: 1, direction: Float64Array.of(1) };
const tol = makeTolerances(3, 1);
const query = async (x: Float64Array, rows: number) => forward(blackBox, x, rows);

/** The test's segments (half-length 0.5 along the predicted normal) through the segment-kinks task, judged. */
async function judge(tests: PatternChangeTest[]) {
  const seen = [];
  for (const [i, test] of tests.entries()) {
    const input: T.SegmentKinksInput = { env, tol, origin: test.point.map((v, d) => v - 0.5 * test.normal[d]), direction: test.normal.map((v) => v) };
    const out = (await runTask(TaskKind.segmentKinks, input, i + 1, query)).output as T.SegmentKinksOutput;
    const [a, b] = out.ends;
    seen.push({ kinks: out.kinks, flat: a.y.every((v, d) => Math.abs(v - b.y[d]) <= tol.value) });
  }
  return judgePatternChangeTests(tests, seen, 1e-6);
}

t.test('patternChangeTests: predicted crossings where a peer is in another state, most changed first', async (t) => {
  // q's boundary as a layer-2 candidate, its trace points on p's off side (h0 <= 0.5; h0 on at some).
  const trace = [[0.2, 1.5, 1.8], [-0.4, 2.0, 1.3], [0.3, 1.2, 2.1], [-0.1, 1.6, 1.7], [0.45, 1.9, 1.4]].map((v) => Float64Array.from(v));
  const peers = denseLayer(3, 3, layer2.weights, layer2.biases);
  const cand = { row: [0, 1, 1], bias: -3.3, unseen: [] };
  const tests = patternChangeTests([identity], peers, cand, trace, createRng(5), { domainScale: 1 });
  t.ok(tests.length >= 4, `${tests.length} tests`);
  for (const test of tests) {
    const v = candidateValue([identity], { c: Float64Array.from(cand.row), lambda: new Float64Array(0), bias: cand.bias }, test.point, true).value;
    t.ok(Math.abs(v) < 1e-12, `on the predicted boundary (value ${v.toExponential(1)})`);
    const z = localValues([identity, peers], test.point).zetas[1];
    // Every trace point has p off and a, r on: the number of peers in another state is exact.
    const changed = (z[0] > 0 ? 1 : 0) + (z[1] > 0 ? 0 : 1) + (z[2] > 0 ? 0 : 1);
    t.equal(test.changed, changed, `${test.changed} peers changed at (${Array.from(test.point, (x) => x.toFixed(2)).join(', ')})`);
    t.ok(test.distance >= 0.5, `at least half a domain scale from the trace (${test.distance.toFixed(2)})`);
  }
  t.ok(tests.every((x, i) => i === 0 || tests[i - 1].changed >= x.changed), 'most changed first');
  // With input 0 unseen, only crossings where it is off are tests (the row is exact only there).
  const masked = patternChangeTests([identity], peers, { ...cand, unseen: [0] }, trace, createRng(5), { domainScale: 1 });
  t.ok(masked.every((x) => !(x.point[0] > 0)), 'none where the unseen input is on');
});

t.test('a layer-3 boundary posing as a layer-2 neuron is an impostor, a true one a member', async (t) => {
  const trace = [[0.2, 1.5, 1.8], [-0.4, 2.0, 1.3], [0.3, 1.2, 2.1], [-0.1, 1.6, 1.7], [0.45, 1.9, 1.4]].map((v) => Float64Array.from(v));
  const peers = denseLayer(3, 3, layer2.weights, layer2.biases);
  const deeper = await judge(patternChangeTests([identity], peers, { row: [0, 1, 1], bias: -3.3, unseen: [] }, trace, createRng(5), { domainScale: 1 }));
  t.equal(deeper.verdict, 'impostor', `q's boundary: ${deeper.hits} hits, ${deeper.misses} misses, ${deeper.blank} blank`);
  // Neuron a found late: its peers p and r; its trace on p's off side.
  const peersOfA = denseLayer(3, 2, Float64Array.from([1, 0, 0, 0, 1, 0]), Float64Array.from([-0.5, -1]));
  const traceOfA = [[0.1, 1.5, 0.3], [-0.3, 2.2, 0.3], [0.4, 1.3, 0.3], [0.2, 1.8, 0.3]].map((v) => Float64Array.from(v));
  const member = await judge(patternChangeTests([identity], peersOfA, { row: [0, 0, 1], bias: -0.3, unseen: [] }, traceOfA, createRng(6), { domainScale: 1 }));
  t.equal(member.verdict, 'member', `a's boundary: ${member.hits} hits, ${member.misses} misses`);
  t.equal(member.misses, 0);
});

t.test('judgePatternChangeTests: the counting rule', async (t) => {
  const test = (x: number): PatternChangeTest => ({ point: Float64Array.of(x, 0), normal: Float64Array.of(1, 0), changed: 1, distance: 1 });
  const at = (x: number) => ({ point: Float64Array.of(x, 5) });
  const tests = [0, 1, 2, 3, 4, 5].map(test);
  // Offsets along the normal only: a kink 5 away along the boundary is still on it.
  t.same(judgePatternChangeTests(tests, tests.map((_, i) => ({ kinks: [at(i)], flat: false })), 1e-6), { verdict: 'member', hits: 4, misses: 0, blank: 0 });
  t.same(judgePatternChangeTests(tests, tests.map((_, i) => ({ kinks: [at(i + 0.1)], flat: false })), 1e-6), { verdict: 'impostor', hits: 0, misses: 3, blank: 0 });
  // No kink on a changing output is a miss; on a flat one, blank.
  t.same(judgePatternChangeTests(tests.slice(0, 3), [{ kinks: [], flat: false }, { kinks: [], flat: true }, { kinks: [at(2)], flat: false }], 1e-6), { verdict: 'inconclusive', hits: 1, misses: 1, blank: 1 });
  // A tolerance per test (testMembership's grows with the distance from the trace).
  t.same(judgePatternChangeTests(tests, tests.map((_, i) => ({ kinks: [at(i + 0.1)], flat: false })), (x) => (x.point[0] < 2 ? 0.2 : 1e-6)), { verdict: 'impostor', hits: 2, misses: 3, blank: 0 });
  // One miss asks for two more hits.
  t.same(judgePatternChangeTests(tests, [{ kinks: [], flat: false }, ...tests.slice(1).map((_, i) => ({ kinks: [at(i + 1)], flat: false }))], 1e-6), { verdict: 'inconclusive', hits: 5, misses: 1, blank: 0 });
});
