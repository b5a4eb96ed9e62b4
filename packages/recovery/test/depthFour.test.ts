import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { recoverNetwork } from '../src/index.js';

// Four hidden layers (10-15-15-15-15-1, generateNetwork rk, seed 1; issue 4's depth-4 target): layer 3
// has a neuron active on ~100 % of N(0, I) inputs, found from the layer-4 sign stack with fewest rows
// left out, and three weights its boundaries never show near the domain, found from the values of
// kinks across the predicted boundaries where their inputs act; the layer-4 seeds rejected while
// layer 3 lacked that neuron are traced again; kinks that show one more of that neuron's weights
// keep the one the stack gave. Every layer must come out exact.
t.test('recoverNetwork - four hidden layers end to end (10-15-15-15-15-1 rk 1)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 1, init: 'rk' });
  const lines: string[] = [];
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1, log: (m) => lines.push(m) });
  t.same(res.architecture, [10, 15, 15, 15, 15, 1], 'architecture');
  t.equal(res.complete, true, `complete (missing: ${res.missing.join(' | ')})`);
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  for (const l of cmp.layers.slice(0, 4)) t.equal(l.matched, 15, `layer ${l.layer}: every neuron matched (${l.bits.toFixed(1)} bits)`);
  t.ok(cmp.bits >= 36, `within 2^-36, the bar (${cmp.bits.toFixed(1)} bits; 33.9 when written, 35.1 in session 9, 36.9 with the joint polish from outputs)`);
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity ${cmp.fidelity.relativeError.toExponential(1)}`);
  t.ok(res.warnings.some((w) => /layer 3: 1 neurons active on every layer-4 trace point were found/.test(w)), 'the layer-3 neuron found through the stack');
  // Kinks later show another of its weights; the pooled solve of its points alone would zero the
  // one the stack gave (session 13: that row came out 0.31 off and layer 4 fell apart).
  t.ok(lines.some((m) => /layer 3: neuron 15's 1 weights from the layer-4 stack kept through its pooled solve/.test(m)), 'the stack\'s weight kept when kinks complete the row');
});
