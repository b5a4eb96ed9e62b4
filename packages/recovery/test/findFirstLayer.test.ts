import t from 'tap';
import { Probe } from '@relurec/geometry';
import { forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { createBudgetedOracle, createNetworkOracle } from '@relurec/oracle';
import { createRng } from '@relurec/random';
import { findFirstLayer, makeTolerances, recoverNetwork } from '../src/index.js';

const contextFor = (net: ReluNetwork, query = async (x: Float64Array, r: number) => forward(net, x, r)) => ({
  probe: new Probe(query, { inputDim: net.layers[0].inDim, outputDim: 1 }),
  tol: makeTolerances(1, 1),
  rng: createRng(11),
  log: () => {},
});

// A generated 6-8-6-1 net in which layer-1 neuron 0 feeds only layer-2 neuron 0, active on 66% of
// N(0, I): neuron 0's boundary is invisible wherever layer-2 neuron 0 is off.
function partlyInvisible(): ReluNetwork {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed: 1 });
  const V = net.layers[1].weights as Float64Array;
  for (let k = 1; k < 6; k++) V[k * 8 + 0] = 0;
  return net;
}

t.test('layer 1 - a boundary invisible in part of the domain is still found exactly, nothing spurious', async (t) => {
  const net = partlyInvisible();
  const res = await findFirstLayer(contextFor(net));
  const W = net.layers[0].weights, b = net.layers[0].biases;
  t.equal(res.planes.length, 8, `${res.planes.length} planes, no spurious one`);
  for (let j = 0; j < 8; j++) {
    const row = W.subarray(j * 6, j * 6 + 6);
    const norm = Math.hypot(...row);
    const cos = (p: { normal: Float64Array }) => p.normal.reduce((acc, v, i) => acc + v * row[i], 0) / norm;
    const match = res.planes.find((p) => Math.abs(Math.abs(cos(p)) - 1) < 1e-12);
    t.ok(match, `neuron ${j} found (|cos| within 1e-12 of 1)`);
    if (match) t.ok(Math.abs(Math.sign(cos(match)) * match.offset - b[j] / norm) < 1e-12, `offset of neuron ${j} within 1e-12`);
  }
  t.ok(res.unexplained.length > 0, 'the layer-2 kinks are left unexplained (seeds for the next layer)');
});

t.test('layer 1 - a budget hit mid-layer keeps the neurons found and says why it stopped', async (t) => {
  const net = generateNetwork({ architecture: [10, 10, 1], seed: 1 });
  const oracle = createBudgetedOracle(createNetworkOracle(net), { budget: 700 });
  const res = await recoverNetwork((x, r) => oracle.query(x, r), { inputDim: 10, outputDim: 1 }, { seed: 1 });
  t.equal(res.complete, false);
  t.ok(oracle.queries <= 700, `spent ${oracle.queries} of 700`);
  t.match(res.warnings.join('\n'), /budget/i);
  t.ok(res.layers[0].width >= 1 && res.layers[0].width < 10, `kept ${res.layers[0].width} neurons found before the budget ran out`);
  t.ok(res.missing.length > 0, `reports what is missing: ${res.missing.join('; ')}`);
});
