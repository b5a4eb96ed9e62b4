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
// domain scales); no search meets it, it is left at 0 and reported, and so is the weight 0.39 of
// layer-4 neuron 1 from it (the unmatched row takes that column out of the judge's layer 4). The
// run says it is incomplete: the todo.
t.test('recoverNetwork - a last-layer neuron off only in a blob no sample reaches, one output, at depth 4 (10-15-15-15-15-1 rk 2)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 2, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 15, 15, 15, 15, 1], 'architecture (session 11: 10-15-15-15-14-1)');
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  const [l1, l2, l3, l4] = cmp.layers;
  t.equal(l1.matched, 15, 'layer 1 complete');
  t.equal(l2.matched, 15, 'layer 2 complete');
  t.equal(l3.matched, 14, 'layer 3: all but the neuron active only beyond the domain');
  t.equal(l4.matched, 15, `layer 4: every neuron matched, the one off only in the blob too (${l4.bits.toFixed(1)} bits)`);
  t.ok(l4.bits >= 36, `layer 4 within 2^-36 (${l4.bits.toFixed(1)} bits)`);
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity over N(0, I) ${cmp.fidelity.relativeError.toExponential(1)} (session 11: 1.6e-1)`);
  t.equal(res.complete, false, 'the weights left unseen are reported: incomplete');
  t.ok(res.missing.some((m) => /layer 3 neuron \d+: weight from layer-2 neuron \d+ unseen/.test(m)), `with the evidence (${res.missing.join(' | ')})`);
  t.equal(l3.missing, 0, 'layer 3 complete', { todo: 'a weight that acts only on 3e-5 of inputs beyond the domain (issue 4)' });
});
