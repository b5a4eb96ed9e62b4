import t from 'tap';
import { forward, parseNetwork, generateNetwork, preActivations, type ReluNetwork } from '@relurec/network';
import { Probe, findKinks, segmentBetween, pointOnSegment, regionJacobian, jumpNormal } from '../src/index.js';

const probeOf = (net: ReluNetwork) =>
  new Probe(async (x, rows) => forward(net, x, rows), { inputDim: net.layers[0].inDim, outputDim: 1 });

// f(x) = relu(x1) - 2 relu(x1 - 0.5) + relu(x2 + 0.25): kinks on x2 = 0 line at x1 = 0, 0.5.
const tiny = parseNetwork({
  format: 'relu-net', version: 1,
  layers: [
    { weights: [[1, 0], [1, 0], [0, 1]], biases: [0, -0.5, 0.25] },
    { weights: [[1, -2, 1]], biases: [0] },
  ],
});

t.test('kinks - hand-placed kinks on a 2-3-1 network, exact to 1e-14', async (t) => {
  const probe = probeOf(tiny);
  const seg = segmentBetween(Float64Array.of(-1, 0), Float64Array.of(2, 0));
  const { kinks, unresolved } = await findKinks(probe, seg, { tolerance: 1e-10 });
  t.equal(unresolved, 0);
  t.equal(kinks.length, 2);
  t.ok(Math.abs(kinks[0].point[0] - 0) < 1e-14, `first kink at x1=${kinks[0].point[0]}`);
  t.ok(Math.abs(kinks[1].point[0] - 0.5) < 1e-14, `second kink at x1=${kinks[1].point[0]}`);
  t.ok(Math.abs(kinks[0].slopeRight - kinks[0].slopeLeft - 3) < 1e-9, 'slope jump 1 per unit x1, 3 units of x1 per unit t');
});

t.test('kinks - two kinks closer than the end-slope step with opposite bends', async (t) => {
  // relu(x) - relu(x - 1e-6): a ramp of width 1e-6 (opposite bends 1e-6 apart) on a segment of length 2.
  const net = parseNetwork({
    format: 'relu-net', version: 1,
    layers: [{ weights: [[1], [1]], biases: [0, -1e-6] }, { weights: [[1, -1]], biases: [0] }],
  });
  const seg = segmentBetween(Float64Array.of(-1), Float64Array.of(1));
  const { kinks } = await findKinks(probeOf(net), seg, { tolerance: 1e-11 });
  t.equal(kinks.length, 2, 'both kinks found');
  t.ok(Math.abs(kinks[0].point[0]) < 1e-12 && Math.abs(kinks[1].point[0] - 1e-6) < 1e-12, `at ${kinks.map((k) => k.point[0])}`);
});

t.test('kinks - a weak kink 5e-4 from a steep one in a short window is not merged into it', async (t) => {
  // s(t) = 1.11 t + 5.9e-3 relu(t) - 0.146 relu(t - 5.22e-4) on [-1e-3, 1e-3] (relu(t + 1) - 1 = t
  // there): the outer lines meet at 5.44e-4, on the steep kink's right piece, where a confirmation
  // 1e-6 of the window wide (2e-9) is off its line by 3e-10, below the tolerance.
  const net = parseNetwork({
    format: 'relu-net', version: 1,
    layers: [{ weights: [[1], [1], [1]], biases: [1, 0, -5.22e-4] }, { weights: [[1.11, 5.9e-3, -0.146]], biases: [-1.11] }],
  });
  const { kinks } = await findKinks(probeOf(net), segmentBetween(Float64Array.of(-1e-3), Float64Array.of(1e-3)), { tolerance: 1e-9 });
  t.equal(kinks.length, 2, `both kinks (at ${kinks.map((k) => k.point[0])})`);
  t.ok(Math.abs(kinks[0].point[0]) < 1e-12 && Math.abs(kinks[1].point[0] - 5.22e-4) < 1e-12, 'each exact to 1e-12');
});

t.test('kinks - no false kinks on a linear piece, and a kink at a segment end is not invented', async (t) => {
  const probe = probeOf(tiny);
  const flat = await findKinks(probe, segmentBetween(Float64Array.of(0.1, 0), Float64Array.of(0.4, 1)), { tolerance: 1e-10 });
  t.equal(flat.kinks.length, 0);
  const atEnd = await findKinks(probe, segmentBetween(Float64Array.of(0, 0), Float64Array.of(0.4, 0)), { tolerance: 1e-10 });
  t.equal(atEnd.kinks.length, 0, 'a kink exactly at t0 is not inside the segment');
  const nearEnd = await findKinks(probe, segmentBetween(Float64Array.of(-1e-7, 0), Float64Array.of(0.4, 0)), { tolerance: 1e-10 });
  t.equal(nearEnd.kinks.length, 1, 'a kink 2.5e-7 of the length from t0 is found');
  t.ok(Math.abs(nearEnd.kinks[0].point[0]) < 1e-12);
});

t.test('kinks - every layer-1 crossing of a random 10-20-1 net is found where visible', async (t) => {
  const net = generateNetwork({ architecture: [10, 20, 1], seed: 3 });
  const probe = probeOf(net);
  const a = Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 1));
  const b = Float64Array.from({ length: 10 }, (_, i) => Math.cos(3 * i));
  const seg = segmentBetween(a, b);
  const { kinks } = await findKinks(probe, seg, { tolerance: 1e-10 });
  // truth: t where each layer-1 pre-activation changes sign on the segment (all visible: one hidden layer, nonzero output weights)
  const za = preActivations(net, a, 1)[0], zb = preActivations(net, b, 1)[0];
  const truth: number[] = [];
  for (let j = 0; j < 20; j++) if (za[j] * zb[j] < 0) truth.push(za[j] / (za[j] - zb[j]));
  truth.sort((x, y) => x - y);
  t.equal(kinks.length, truth.length, `${truth.length} crossings`);
  let worst = 0;
  kinks.forEach((k, i) => (worst = Math.max(worst, Math.abs(k.t - truth[i]))));
  t.ok(worst < 1e-12, `worst position error ${worst} < 1e-12`);
  t.ok(probe.spent < 12 * truth.length + 10, `spent ${probe.spent} queries for ${truth.length} kinks`);
});

t.test('gradient - Jacobian and jump normal of a known layer-1 boundary', async (t) => {
  const net = generateNetwork({ architecture: [10, 20, 1], seed: 3 });
  const probe = probeOf(net);
  const a = Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 1));
  const b = Float64Array.from({ length: 10 }, (_, i) => Math.cos(3 * i));
  const seg = segmentBetween(a, b);
  const { kinks } = await findKinks(probe, seg, { tolerance: 1e-10 });
  const k = kinks[0];
  const before = pointOnSegment(seg, k.t - 1e-4), after = pointOnSegment(seg, k.t + 1e-4);
  const [JA, JB] = await Promise.all([before, after].map((x) => regionJacobian(probe, x, { step: 1e-6, tolerance: 1e-9 })));
  const { normal, rankOneResidual } = jumpNormal(JA.jacobian, JB.jacobian, 1, 10, seg.direction);
  // which true neuron? the one with zeta ~ 0 at the kink
  const z = preActivations(net, k.point, 1)[0];
  let j = 0;
  for (let i = 1; i < 20; i++) if (Math.abs(z[i]) < Math.abs(z[j])) j = i;
  const w = net.layers[0].weights.subarray(j * 10, j * 10 + 10);
  const wn = Math.hypot(...w);
  let cos = 0;
  for (let i = 0; i < 10; i++) cos += (normal[i] * w[i]) / wn;
  t.ok(Math.abs(Math.abs(cos) - 1) < 1e-12, `|cos| = ${Math.abs(cos)}`);
  t.ok(rankOneResidual < 1e-12);
});
