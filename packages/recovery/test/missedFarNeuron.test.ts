import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { recoverNetwork } from '../src/index.js';

// A failing case of issue 4, kept: 6-10-10-10-1 (generateNetwork, rk, seed 1) has a layer-2 neuron
// active on 0 % of N(0, I) and of N(0, 9 I) inputs and on 0.4 % at 10 domain scales (and a layer-3
// neuron on 0.005 % there). The run misses both; it must say so (not complete, the fresh-input
// check at far scales names the disagreement) and stay exact on everything it did find. Finding
// them is the todo.
t.test('recoverNetwork - a layer-2 neuron active only far out is reported missing, never hidden (6-10-10-10-1 rk 1)', async (t) => {
  const truth = generateNetwork({ architecture: [6, 10, 10, 10, 1], seed: 1, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 6, outputDim: 1 }, { seed: 1 });
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  if (res.architecture.join('-') !== '6-10-10-10-1') {
    t.equal(res.complete, false, `incomplete: ${res.architecture.join('-')}`);
    t.ok(res.missing.some((m) => /fresh-input check failed/.test(m)), `the far fresh-input check names it (${res.missing.join('; ')})`);
  }
  const matched = cmp.layers.filter((l) => l.kind === 'hidden');
  t.ok(matched.every((l) => l.matched === 0 || l.bits >= 34), `every matched neuron within 2^-34 (${matched.map((l) => l.bits.toFixed(1)).join(', ')} bits)`);
  t.ok(cmp.fidelity!.relativeError <= 1e-9, `fidelity on N(0, I) ${cmp.fidelity!.relativeError.toExponential(1)}: the missed neurons do not act there`);
  t.same(res.architecture, [6, 10, 10, 10, 1], 'architecture found', { todo: 'a neuron of a middle layer active only at 10 domain scales (issue 4)' });
});
