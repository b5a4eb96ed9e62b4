import t from 'tap';
import { denseLayer, type ReluNetwork } from '@relurec/network';
import { loadMilpSolver } from '@relurec/milp';
import { compareNetworks, formatComparison } from '../src/index.js';

// 3 inputs, hidden 4-3, one output. Layer-2 neuron 0 is ReLU(h1 - c h0 - 0.1) with h0 = ReLU(x0),
// h1 = ReLU(-x0): it is on only where x0 < -0.1, where h0 = 0, so for every c >= 0 its weight -c
// from h0 changes nothing anywhere (with c < 0 it is on where x0 > 0 too). No query can show c.
function net(c: number): ReluNetwork {
  const l1 = denseLayer(3, 4, Float64Array.from([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 1]), Float64Array.from([0, 0, 0, 0.1]));
  const l2 = denseLayer(4, 3, Float64Array.from([-c, 1, 0, 0, 1, 0, 1, 0, 0, -1, 0, 1]), Float64Array.from([-0.1, -0.2, 0.3]));
  const out = denseLayer(3, 1, Float64Array.from([1, 2, -1]), Float64Array.from([0.5]));
  return { name: `unused-${c}`, meta: {}, layers: [l1, l2, out] };
}
const fast = { fidelitySamples: 5000, unusedSamples: 5000 };

t.test('compare - a weight from an input that is off wherever its neuron is on is left out and listed', async (t) => {
  const cmp = compareNetworks(net(0.5), net(0), fast);
  t.equal(cmp.fidelity!.maxAbsError, 0, 'the same function');
  t.ok(cmp.complete, 'complete');
  const [, l2, out] = cmp.layers;
  t.equal(l2.matched, 3, 'layer 2: all three matched');
  t.same(l2.unused, [{ truth: 0, recovered: 0, trueInput: 0, recoveredInput: 0, proved: false }], 'the one weight left out (the search\'s verdict)');
  t.equal(cmp.unusedWeights, 1, 'counted');
  t.ok(l2.maxError < 1e-15, `layer 2 exact on the rest (${l2.maxError})`);
  // The neuron's scale is its row's norm over the compared columns: the output column is exact too.
  t.ok(out.maxError < 1e-15, `output layer exact (${out.maxError})`);
  t.match(formatComparison(cmp), /layer 2 unused weights \(true neuron <- input, left out\): 0<-0/, 'the CLI table names it');
});

t.test('compare - with the exact search the weight is proved unused in both networks', async (t) => {
  const cmp = compareNetworks(net(0.5), net(0), { ...fast, milp: await loadMilpSolver() });
  t.ok(cmp.complete, 'complete');
  t.same(cmp.layers[1].unused, [{ truth: 0, recovered: 0, trueInput: 0, recoveredInput: 0, proved: true }], 'left out, proved');
  t.equal(cmp.options.exactUnused, true, 'the options say so');
  t.notOk('milp' in cmp.options, 'the solver is not part of the report');
  t.match(formatComparison(cmp), /layer 2 unused weights \(true neuron <- input, left out\): 0<-0 \(all proved by MILP\)/, 'the CLI table says it was proved');
  // c = -0.5 in the recovered network: on together with h0 where x0 > 0.2, so the weight counts.
  const used = compareNetworks(net(0.5), net(-0.5), { ...fast, milp: await loadMilpSolver() });
  t.same(used.layers[1].unused, [], 'nothing left out when one network uses it');
});

t.test('compare - without the unused-input search the same pair is rejected', async (t) => {
  const cmp = compareNetworks(net(0.5), net(0), { ...fast, unusedSamples: 0 });
  t.notOk(cmp.complete, 'incomplete');
  t.equal(cmp.layers[1].matched, 2, 'two of three matched');
  t.equal(cmp.layers[1].rejected[0].truth, 0, 'neuron 0 rejected');
  t.ok(cmp.layers[1].rejected[0].error > 0.1, `its error counts the weight (${cmp.layers[1].rejected[0].error})`);
  t.same(cmp.layers[1].unused, [], 'nothing left out');
});

t.test('compare - a weight the recovered network uses is compared, whatever the truth does', async (t) => {
  // c = -0.5: neuron 0 on where 0.5 x0 - 0.1 > 0 too, where h0 is on: a different function there.
  const cmp = compareNetworks(net(0.5), net(-0.5), fast);
  t.ok(cmp.fidelity!.maxAbsError > 0.1, 'a different function');
  t.same(cmp.layers[1].unused, [], 'nothing left out');
  t.equal(cmp.layers[1].matched, 2, 'neuron 0 not matched');
});

t.test('compare - unusedSamples must be a non-negative integer', async (t) => {
  t.throws(() => compareNetworks(net(0.5), net(0), { unusedSamples: -1 }), { name: 'RangeError', message: /options\.unusedSamples must be a non-negative integer, got -1/ });
  t.throws(() => compareNetworks(net(0.5), net(0), { unusedSamples: 1.5 }), { message: /unusedSamples/ });
});

// 4 inputs, hidden 7-1, one output. Layer 1: ReLU(x0), ReLU(-x0), ReLU(x1), ReLU(+-x2), ReLU(+-x3).
// The layer-2 neuron is ReLU(w h0 + 2000 h1 + h2 - 2000 (|x2| + |x3|)): on for about a fifth of the
// inputs where x0 < 0, but where x0 > 0 (h0 on) only while x1 + w x0 > 2000 (|x2| + |x3|), about 1e-7
// of inputs: none of the samples, yet its weight w from h0 acts there.
function sliver(w: number): ReluNetwork {
  const l1 = denseLayer(4, 7, Float64Array.from([1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, -1]), new Float64Array(7));
  const l2 = denseLayer(7, 1, Float64Array.from([w, 2000, 1, -2000, -2000, -2000, -2000]), new Float64Array(1));
  const out = denseLayer(1, 1, Float64Array.from([1]), new Float64Array(1));
  return { name: `sliver-${w}`, meta: {}, layers: [l1, l2, out] };
}

t.test('compare - a weight that acts on a sliver no sample reaches is found by the ascent and compared', async (t) => {
  const cmp = compareNetworks(sliver(0.3), sliver(0), fast);
  t.equal(cmp.fidelity!.maxAbsError, 0, 'the same function on the fidelity samples');
  t.same(cmp.layers[1].unused, [], 'nothing left out');
  t.ok(cmp.layers[1].maxError > 1e-5, `the weight counts (${cmp.layers[1].maxError.toExponential(1)})`);
});
