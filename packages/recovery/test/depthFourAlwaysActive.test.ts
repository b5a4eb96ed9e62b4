import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { loadMilpSolver } from '@relurec/milp';
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
// History of the harder part: layer-3 neuron 10 is active only beyond the domain (0 % at 1 domain scale, 1.3 % at
// 10) and its weight -1.08 from layer-2 neuron 9 acts only where both are on (3e-5 of inputs at 10
// domain scales). Session 16: kinks show that weight (layer 3 matched 15 of 15), and the judge then
// compares layer 4's weights from neuron 10 too: six layer-4 rows are 0.14-0.35 off in that column
// (weights acting only beyond the domain; before, the unmatched layer-3 row took the column out).
// Three of them are reported (the samples give them only together, or not at all); the run said it
// was incomplete (then a todo of this test). Session 17: the judge leaves out a weight from an input that is off
// wherever its neuron is on, in both networks (sampled, then searched by ascent): true layer-4
// neurons 6 and 10's weights from neuron 10, which the run calls "acting nowhere the search
// reached" (rows exact without them), so layer 4 matches 11. Of the other four, three are reported;
// true neuron 4 is on together with neuron 10 on 5e-6 of inputs at 10-30 domain scales, and the
// run's "acts nowhere" for its weight is wrong: the one silently wrong weight. Session 18: the
// exact search (a MILP over the activation regions) finds where the weights the probes missed act
// (true 1 and 4's at 50-66 from the origin), the two the samples gave only together are fitted at
// inputs where one acts without the other, and kinks where they act set them: layer 4 complete. The
// exact judge finds true 6's weight from neuron 10 acting too (compared: exact) and proves true 10's
// unused; the run proves it acts nowhere (left at 0) and says so.
t.test('recoverNetwork - a last-layer neuron off only in a blob no sample reaches, one output, at depth 4 (10-15-15-15-15-1 rk 2)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 2, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 15, 15, 15, 15, 1], 'architecture (session 11: 10-15-15-15-14-1)');
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000, milp: await loadMilpSolver() });
  const [l1, l2, l3, l4] = cmp.layers;
  t.equal(l1.matched, 15, 'layer 1 complete');
  t.equal(l2.matched, 15, 'layer 2 complete');
  t.equal(l3.matched, 15, 'layer 3 complete, the weight acting on 3e-5 of inputs beyond the domain too');
  t.equal(l4.recoveredWidth, 15, 'layer 4: 15 neurons, the one off only in the blob among them');
  t.equal(l4.matched, 15, 'layer 4 complete (session 17: 11 of 15, the rest off in their weights from layer-3 neuron 10)');
  t.same(l4.unused.map((u) => [u.truth, u.trueInput, u.proved]), [[10, 10, true]], 'one weight left out, proved unused in both networks');
  // The blob neuron missing costs the domain itself (session 11: 1.6e-1).
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity over N(0, I) ${cmp.fidelity.relativeError.toExponential(1)} (session 11: 1.6e-1)`);
  t.ok(cmp.bits >= 30, `${cmp.bits.toFixed(1)} bits (measured 32.4; issue 4's bar is 36)`);
  t.equal(res.complete, true, `complete (session 17: incomplete; missing: ${res.missing.join(' | ')})`);
  t.ok(res.warnings.some((w) => /layer 4 neuron \d+: the weight from layer-3 neuron \d+ acts nowhere: no input with \|x_d\| <= \S+ has both on as the other weights stand \(an exact search; left at 0\)/.test(w)), 'the weight left at 0 is proved to act nowhere, and said so');
});
