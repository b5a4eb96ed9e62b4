import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { recoverNetwork } from '../src/index.js';

// 6-10-10-10-1 (generateNetwork, rk, seed 1) has a layer-2 neuron active on 0 % of N(0, I) and of
// N(0, 9 I) inputs and on 0.5 % at 10 domain scales, and a layer-3 neuron active on 0.04 % of inputs
// at every scale from 30 out (a narrow cone). No trace and no sample of the domain touches the first:
// the middle-layer check finds it where the finished model misses inputs at 3-30 domain scales, and
// layer 3 is re-solved with it. The second stays unseen (0.04 % of 384 check inputs: ~0.15 expected
// hits); the run must then state how little its checks can still miss, and stay exact on the rest.
t.test('recoverNetwork - a layer-2 neuron active only far out is found by the middle-layer check (6-10-10-10-1 rk 1)', async (t) => {
  const truth = generateNetwork({ architecture: [6, 10, 10, 10, 1], seed: 1, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 6, outputDim: 1 }, { seed: 1 });
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  t.ok(res.warnings.some((w) => /layer 2: 1 neurons active where the finished model missed inputs at larger scales were found there/.test(w)), 'found by the middle-layer check');
  t.ok(res.warnings.some((w) => /layers 3\.\.3 were re-solved/.test(w)), 'layer 3 re-solved with it');
  const [l1, l2] = cmp.layers.filter((l) => l.kind === 'hidden');
  t.equal(l2.matched, 10, 'layer 2 complete');
  t.ok(l1.bits >= 36 && l2.bits >= 36, `layers 1 and 2 within 2^-36 (${l1.bits.toFixed(1)}, ${l2.bits.toFixed(1)} bits)`);
  t.ok(cmp.fidelity!.relativeError <= 1e-9, `fidelity on N(0, I) ${cmp.fidelity!.relativeError.toExponential(1)}`);
  if (res.complete) t.ok(res.warnings.some((w) => /no disagreement on \d+ fresh inputs nor on the middle-layer check's \d+ at 3, 10 and 30 domain scales/.test(w)), 'a complete run says what its checks could still miss');
  else t.ok(res.missing.some((m) => /fresh-input check failed|middle-layer check failed/.test(m)), `or a check names what it missed (${res.missing.join('; ')})`);
  t.same(res.architecture, [6, 10, 10, 10, 1], 'architecture found', { todo: 'a layer-3 neuron active on 0.04 % of inputs at every scale (issue 4)' });
});
