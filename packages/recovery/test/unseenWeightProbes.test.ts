import t from 'tap';
import { denseLayer } from '@relurec/network';
import { localState } from '../src/known/localState.js';
import { unseenWeightProbes } from '../src/known/unseenWeightProbes.js';

// A constructed 2-3-1 hidden stack (n0 = 2, domain scale 1):
//   layer 1: zeta_0 = x1, zeta_1 = x2 - 1, zeta_2 = -x2
//   layer 2: zeta_z = h_1 - 0.5 + w_0 h_0 + w_2 h_2, with w_0 and w_2 unseen (left at 0 in the model).
// z's traced boundary (where h_0 = h_2 = 0) is the line x2 = 1.5 for x1 < 0.
// - Pair (z, 0): on B_0 = {x1 = 0}, zeta_z = ReLU(x2 - 1) - 0.5, largest inside the search radius
//   3 sqrt(2) (the starts lie within 2.5, so 1.5 x 2.5 < 3 sqrt(2)) at (0, 3 sqrt(2)):
//   reach = 3 sqrt(2) - 1.5 (hand computation).
// - Pair (z, 2): on B_2 = {x2 = 0}, h_1 = 0, so zeta_z = -0.5 everywhere: reach -0.5, no probe.
const layer1 = denseLayer(2, 3, Float64Array.of(1, 0, 0, 1, 0, -1), Float64Array.of(0, -1, 0));
const withWeights = (w0: number, w2: number) => denseLayer(3, 1, Float64Array.of(w0, 1, w2), Float64Array.of(-0.5));
const boundary = [[Float64Array.of(-1, 1.5), Float64Array.of(-2, 1.5), Float64Array.of(-0.5, 1.5)]];
const unseen = [{ neuron: 0, input: 0 }, { neuron: 0, input: 2 }];

t.test('unseenWeightProbes - reach on each boundary and probes where the weight acts (constructed 2-3-1)', async (t) => {
  // The model's values of the unseen weights are ignored: any stand-in gives the same probes.
  const [a, b] = unseenWeightProbes([layer1, withWeights(0.7, -3)], unseen, boundary);
  const [a0] = unseenWeightProbes([layer1, withWeights(0, 0)], unseen, boundary);
  t.same(a0.points.map((p) => Array.from(p)), a.points.map((p) => Array.from(p)));
  t.ok(Math.abs(a.reach - (3 * Math.SQRT2 - 1.5)) < 1e-9, `reach ${a.reach} = 3 sqrt(2) - 1.5 (to 1e-9)`);
  t.ok(a.points.length >= 1 && a.points.length <= 2, `${a.points.length} probes (1 or 2)`);
  t.equal(b.reach, -0.5);
  t.equal(b.points.length, 0);
  for (const q of a.points) {
    t.ok(q[0] > 0, 'on the active side of neuron 0 (h_0 > 0)');
    t.ok(Math.abs(q[1] - 3 * Math.SQRT2) < 1e-9, 'off the highest point of B_0 in the search radius, (0, 3 sqrt(2))');
    // z active for every unseen weight up to the bound (4), so the output is affine in w_0 there.
    for (const w0 of [-4, -1, 0, 1, 4]) {
      for (const w2 of [-4, 0, 4]) {
        const zeta = localState([layer1, withWeights(w0, w2)], q).zetas[1][0];
        t.ok(zeta > 0, `z active at (${q[0].toFixed(4)}, ${q[1].toFixed(4)}) with w_0 = ${w0}, w_2 = ${w2}`);
      }
    }
  }
});

t.test('unseenWeightProbes - another last-layer neuron with an unseen weight from the same input keeps its state', async (t) => {
  // y = ReLU(h_1 - 2.5 + w h_0): near (0, 3 sqrt(2)) its known part is 3.24 - 2.5 = 0.74 > 0, so
  // a probe must keep 4 h_0 below it too.
  const top = denseLayer(3, 2, Float64Array.of(0, 1, 0, 0, 1, 0), Float64Array.of(-0.5, -2.5));
  const pairs = [{ neuron: 0, input: 0 }, { neuron: 1, input: 0 }];
  const probes = unseenWeightProbes([layer1, top], pairs, [boundary[0], [Float64Array.of(-1, 3.5)]]);
  t.ok(probes.every((p) => p.points.length > 0), 'both pairs probed');
  for (const p of probes) {
    for (const q of p.points) {
      const z0 = localState([layer1, top], q).zetas[1];
      for (const w of [-4, 4]) {
        const zs = localState([layer1, denseLayer(3, 2, Float64Array.of(w, 1, 0, w, 1, 0), top.biases)], q).zetas[1];
        t.ok(zs[p.neuron] > 0, `neuron ${p.neuron} active at its probe with w = ${w}`);
        t.ok(zs.every((v, y) => Math.sign(v) === Math.sign(z0[y])), `both keep their model states with w = ${w}`);
      }
    }
  }
});

t.test('unseenWeightProbes - options are checked', async (t) => {
  t.throws(() => unseenWeightProbes([layer1], unseen, boundary), RangeError);
  t.throws(() => unseenWeightProbes([layer1, withWeights(0, 0)], unseen, boundary, { weightBound: 0 }), /weightBound/);
});
