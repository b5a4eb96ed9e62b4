import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { recoverNetwork } from '../src/index.js';

// 10-15-15-15-15-1 (generateNetwork, rk, seed 2; issue 4's depth-4 target), one output. Layer-4
// neuron 1 is active on 99.5 % of N(0, I) inputs and on all of them from 10 domain scales out (numpy,
// 2e6 inputs): it is off only in a blob ~1.7 from the origin, where no cached sample lies, so the
// output fit absorbs it in its h^(3) block and leaves no sample out. The fit's flip patterns stay
// one-signed far out by the hundred (four layer-4 neurons are active on 97-100 % of inputs there),
// and the lowest points of 64 of them, spread over the list, misfit: the rare-neuron search there
// finds the neuron. Session 11: a gate at 64 patterns skipped those points and layer 4 came out
// 10-15-15-15-14-1 (-1.2 bits, exit 1).
//
// Still short: layer-3 neuron 10 is active only beyond the domain (0 % at 1 domain scale, 1.3 % at
// 10) and its weight -1.08 from layer-2 neuron 9 acts only where both are on (3e-5 of inputs at 10
// domain scales). Session 16: kinks show that weight (layer 3 matched 15 of 15), and the judge then
// compares layer 4's weights from neuron 10 too: six layer-4 rows are 0.14-0.35 off in that column
// (weights acting only beyond the domain; before, the unmatched layer-3 row took the column out).
// Three of them are reported (the samples give them only together, or not at all); the run says it
// is incomplete: the todo. Session 17: the judge leaves out a weight from an input that is off
// wherever its neuron is on, in both networks (sampled, then searched by ascent): true layer-4
// neurons 6 and 10's weights from neuron 10, which the run calls "acting nowhere the search
// reached" (rows exact without them), so layer 4 matches 11. Of the other four, three are reported;
// true neuron 4 is on together with neuron 10 on 5e-6 of inputs at 10-30 domain scales, and the
// run's "acts nowhere" for its weight is wrong: the one silently wrong weight.
t.test('recoverNetwork - a last-layer neuron off only in a blob no sample reaches, one output, at depth 4 (10-15-15-15-15-1 rk 2)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 2, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 15, 15, 15, 15, 1], 'architecture (session 11: 10-15-15-15-14-1)');
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  const [l1, l2, l3, l4] = cmp.layers;
  t.equal(l1.matched, 15, 'layer 1 complete');
  t.equal(l2.matched, 15, 'layer 2 complete');
  t.equal(l3.matched, 15, 'layer 3 complete, the weight acting on 3e-5 of inputs beyond the domain too');
  t.equal(l4.recoveredWidth, 15, 'layer 4: 15 neurons, the one off only in the blob among them');
  t.ok(l4.matched >= 11, `layer 4: ${l4.matched} matched (measured 11, two of them without weights neither network uses: the rest off only in their weights from layer-3 neuron 10)`);
  t.same(l4.unused.map((u) => u.trueInput), [10, 10], 'the weights left out are from layer-3 neuron 10');
  // The blob neuron missing costs the domain itself (session 11: 1.6e-1).
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity over N(0, I) ${cmp.fidelity.relativeError.toExponential(1)} (session 11: 1.6e-1)`);
  t.equal(res.complete, false, 'the weights left unseen are reported: incomplete');
  t.ok(res.missing.some((m) => /layer 4 neuron \d+( <- \d+: the samples give this weight only in combination|: the weight from layer-3 neuron \d+ is seen neither)/.test(m)), `with the evidence (${res.missing.join(' | ')})`);
  t.equal(l4.matched, 15, 'layer 4 complete', { todo: 'weights from a layer-3 neuron active only beyond the domain: three reported, one acting on 5e-6 of inputs far out called acting nowhere and left at 0, unreported (issue 4)' });
});
