import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { compareNetworks } from '@relurec/judge';
import { recoverNetwork } from '../src/index.js';

// 6-10-10-10-1 (generateNetwork, rk, seed 15): layer-2 neuron 9 is active on 100 % of N(0, I) inputs
// (98.9 % at 3 domain scales), so no layer-3 trace sees it switch and the layer-2 sign stack does not
// close; missingActiveInStack reads its row from the stack, its boundary is searched where that row
// is lowest, and layer 2 comes out exact. Its layer-3 neuron 6 is active on 100 % of inputs even at 30
// domain scales (numpy: off in a sliver of directions at 100): with one output the output fit's
// Lambda block cannot tell it from sign flips of the other layer-3 neurons, and of the 6 flip
// patterns whose row stays one-signed far out, the lowest points all misfit, but so would any point
// where three layer-3 weights the search never saw act (neuron 3 <- 8, 9 <- 3, 9 <- 8); the trace
// there bends where no known boundary is. Layer 3 stays wrong and the run says so: the todo.
t.test('recoverNetwork - a layer-2 neuron active on every input is found from the layer-2 sign stack (6-10-10-10-1 rk 15)', async (t) => {
  const truth = generateNetwork({ architecture: [6, 10, 10, 10, 1], seed: 15, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 6, outputDim: 1 }, { seed: 1 });
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  const [l1, l2] = cmp.layers;
  t.ok(res.warnings.some((w) => /layer 2: 1 neurons active on every layer-3 trace point were found/.test(w)), 'found through the stack');
  t.equal(l1.matched, 10, 'layer 1 complete');
  t.equal(l2.matched, 10, 'layer 2 complete');
  t.equal(l2.extra, 0, 'and nothing extra');
  t.ok(l2.bits >= 36, `layer 2 within 2^-36 (${l2.bits.toFixed(1)} bits)`);
  t.ok(res.layers[1].signs !== undefined && res.layers[1].signs.margin < 1e-6 && res.layers[1].signs.residual < 1e-6, `layer 2's signs clean (${JSON.stringify(res.layers[1].signs)})`);
  if (!cmp.complete) {
    t.equal(res.complete, false, 'an incomplete recovery is reported incomplete');
    t.ok(res.missing.some((m) => /layer-3 neuron active on every sample/.test(m)), `with the evidence (${res.missing[0]})`);
  }
  t.ok(cmp.complete, 'complete', { todo: 'a last-hidden-layer neuron active on every input with one output (issue 4)' });
});

// 10-20-20-20-1 (generateNetwork, rk, seed 2): layer-3 neuron 4 is active on every N(0, I) input and
// turns off only in a cone narrower than 1/20000 of the directions at 10-100 domain scales; one
// output. Two samples fall in the cone: the output fit closes without them, the flip patterns of the
// other 19 that keep a row one-signed far out (~170 of 2^19) are the rows a trace there may have, and
// the trace that agrees with one on the weights it shows takes the rest of its row from it.
t.test('recoverNetwork - a last-layer neuron off only in a narrow cone, one output (10-20-20-20-1 rk 2)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 20, 1], seed: 2, init: 'rk' });
  const res = await recoverNetwork(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.same(res.architecture, [10, 20, 20, 20, 1], 'architecture');
  t.equal(res.complete, true, `complete (missing: ${res.missing.join(' | ')})`);
  const cmp = compareNetworks(truth, res.network, { fidelitySamples: 5000 });
  t.equal(cmp.layers[2].matched, 20, 'every layer-3 neuron matched, none sign-flipped');
  t.ok(cmp.bits >= 36, `within 2^-36 (${cmp.bits.toFixed(1)} bits)`);
  t.ok(cmp.fidelity.relativeError < 1e-9, `fidelity ${cmp.fidelity.relativeError.toExponential(1)}`);
});
