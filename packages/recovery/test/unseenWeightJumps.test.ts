import t from 'tap';
import { denseLayer, forward, generateNetwork, preActivations } from '@relurec/network';
import { createRng } from '@relurec/random';
import { planUnseenWeightJumps, weightsFromJumps } from '../src/known/unseenWeightJumps.js';

// A generated 6-10-10-1 network is the black box. The model holds it with one last-layer weight
// w_zj moved by 1e-6 (as a fill from function values leaves an unseen weight); the output slopes on
// both sides of j's boundary, from four black-box outputs per line, must give the move back.
const net = generateNetwork({ architecture: [6, 10, 10, 1], seed: 8, init: 'rk' });
const [l1, l2, out] = net.layers;
const rng = createRng(3);
const rows = 2000, X = rng.gaussianArray(rows * 6), Z = preActivations(net, X, rows);

function bothOn(z: number, j: number, count: number): Float64Array[] {
  const found: Float64Array[] = [];
  for (let r = 0; r < rows && found.length < count; r++) if (Z[1][r * 10 + z] > 0 && Z[0][r * 10 + j] > 0) found.push(X.slice(r * 6, (r + 1) * 6));
  return found;
}

const pair = { neuron: 4, input: 2 };
const W2 = Float64Array.from(l2.weights);
W2[pair.neuron * 10 + pair.input] += 1e-6;
const model = [l1, denseLayer(10, 10, W2, l2.biases)];

t.test('weightsFromJumps - a moved unseen weight comes back from output slopes across its input boundary', async (t) => {
  const near = bothOn(pair.neuron, pair.input, 12);
  t.ok(near.length >= 8, `${near.length} samples with z and j on`);
  const plans = planUnseenWeightJumps(model, out, [pair], [near]);
  t.ok(plans.length >= 3, `${plans.length} lines across B_j with z on and room on both sides`);
  const ys = plans.map((p) => p.points.map((x) => forward(net, x, 1)));
  const est = weightsFromJumps(out, plans, ys).get(pair);
  t.ok(est, 'an estimate');
  const err = Math.abs(est!.delta + 1e-6);
  t.ok(err < 1e-13, `correction ${est!.delta.toExponential(6)} vs -1e-6 (error ${err.toExponential(1)}, ${est!.plans} lines, spread ${est!.spread.toExponential(1)})`);
});

t.test('planUnseenWeightJumps - only lines where no other neuron with an unseen weight from j is on', async (t) => {
  // Two last-layer neurons with unseen weights from j: a line where both are on would mix them.
  const pairs = [pair, { neuron: 7, input: pair.input }];
  const near = pairs.map((p) => bothOn(p.neuron, p.input, 40));
  const plans = planUnseenWeightJumps(model, out, pairs, near);
  const mixed = near.flat().filter((x) => { const z = preActivations(net, x, 1)[1]; return z[4] > 0 && z[7] > 0; }).length;
  t.ok(mixed > 0, `${mixed} of the starts have both on`);
  t.ok(plans.length > 0, `${plans.length} plans`);
  const bad = plans.filter((p) => p.points.some((x) => { const z = preActivations(net, x, 1)[1]; return z[4] > 0 && z[7] > 0; }));
  t.equal(bad.length, 0, 'no plan with both on');
});
