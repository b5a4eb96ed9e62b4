import t from 'tap';
import { Probe } from '@relurec/geometry';
import { forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { makeTolerances } from '../src/context/RecoveryContext.js';
import { rayProbePoints } from '../src/known/rayProbePoints.js';
import { localState } from '../src/known/localState.js';
import { compareOnPoints } from '../src/output/compareOnPoints.js';
import { checkOnFreshInputs, freshCheckPoints } from '../src/output/checkOnFreshInputs.js';

// generateNetwork 10-15-15-1, carlini init, seed 1: layer-2 neuron 7 is active on ~0.05% of N(0, I)
// inputs (measured below on 20000 draws: expected ~10 hits). A model without it (its output weight
// set to 0) agrees with the black box on typical inputs and is wrong on its rare cone.
const truth = generateNetwork({ architecture: [10, 15, 15, 1], seed: 1, init: 'carlini' });
const withoutNeuron = (net: ReluNetwork, z: number): ReluNetwork => {
  const out = net.layers[2], U = Float64Array.from(out.weights);
  U[z] = 0;
  return { ...net, layers: [net.layers[0], net.layers[1], { ...out, weights: U }] };
};
const layer2Active = (x: Float64Array, z: number) => localState(truth.layers.slice(0, 2), x).zetas[1][z] > 0;

t.test('rayProbePoints - points lie on flats of n0 - 1 layer-1 boundaries (to 1e-9)', async (t) => {
  const pts = rayProbePoints([truth.layers[0]], createRng(1), { count: 50 });
  t.equal(pts.length, 50);
  for (const x of pts) {
    const z = localState([truth.layers[0]], x).zetas[0];
    const onBoundary = Array.from(z).filter((v) => Math.abs(v) < 1e-9 * Math.max(1, Math.hypot(...x))).length;
    t.ok(onBoundary >= 9, `${onBoundary} of 15 neurons vanish at a probe point`);
  }
});

t.test('rayProbePoints - a rare layer-2 cone shows on probes far more often than on N(0, I) draws', async (t) => {
  const rng = createRng(5);
  let typical = 0;
  for (let i = 0; i < 20000; i++) if (layer2Active(rng.gaussianArray(10), 7)) typical++;
  t.ok(typical / 20000 < 0.002, `neuron 7 active on ${(100 * typical / 20000).toFixed(3)}% of N(0, I) inputs (< 0.2%)`);
  const pts = rayProbePoints([truth.layers[0]], createRng(2), { count: 500 });
  const onProbes = pts.filter((x) => layer2Active(x, 7)).length / pts.length;
  // measured 6% on 2000 probes; 1% is a loose floor
  t.ok(onProbes > 0.01, `active on ${(100 * onProbes).toFixed(1)}% of probe points (> 1%)`);
});

t.test('rayProbePoints - follows bent flats of deeper known layers', async (t) => {
  const pts = rayProbePoints(truth.layers.slice(0, 2), createRng(3), { count: 20 });
  t.ok(pts.length >= 10, `${pts.length} of 20 probes converged`);
  for (const x of pts) {
    const st = localState(truth.layers.slice(0, 2), x);
    const zero = st.zetas.flatMap((z) => Array.from(z)).filter((v) => Math.abs(v) < 1e-8 * Math.max(1, Math.hypot(...x))).length;
    t.ok(zero >= 9, `${zero} known neurons vanish at a probe`);
  }
});

t.test('compareOnPoints - the model itself passes, one without the rare neuron fails only where it is active', async (t) => {
  const xs = rayProbePoints([truth.layers[0]], createRng(4), { count: 200 });
  const X = new Float64Array(xs.length * 10);
  xs.forEach((x, r) => X.set(x, r * 10));
  const ys = Array.from(forward(truth, X, xs.length), (v) => Float64Array.of(v));
  t.same(compareOnPoints(truth, xs, ys).failures, []);
  const bad = compareOnPoints(withoutNeuron(truth, 7), xs, ys);
  // Active by more than rounding: probes sit on vertices, and the cone's own boundary passes through
  // some of them (pre-activation ~1e-16, no visible effect).
  const clearlyActive = (x: Float64Array) => localState(truth.layers.slice(0, 2), x).zetas[1][7] > 1e-12 * Math.max(1, Math.hypot(...x));
  const expected = xs.map((x, r) => [x, r] as const).filter(([x]) => clearlyActive(x)).map(([, r]) => r).sort((a, b) => a - b);
  t.ok(expected.length > 0);
  t.same([...bad.failures].sort((a, b) => a - b), expected, 'fails exactly on the probes inside the cone');
});

t.test('checkOnFreshInputs - finds a missing rare neuron for 128 queries', async (t) => {
  const probe = new Probe(async (x, rows) => forward(truth, x, rows), { inputDim: 10, outputDim: 1 });
  const ctx = { probe, tol: makeTolerances(1, 1), rng: createRng(9), log: () => {} };
  const good = await checkOnFreshInputs(ctx, truth, [truth.layers[0], truth.layers[1]]);
  t.equal(good.failures.length, 0, 'the exact model passes');
  const bad = await checkOnFreshInputs({ ...ctx, rng: createRng(9) }, withoutNeuron(truth, 7), truth.layers.slice(0, 2));
  t.ok(bad.failures.length > 0, `${bad.failures.length} of ${bad.checked} fresh inputs disagree`);
  t.ok(probe.spent <= 2 * 128, `${probe.spent} queries`);
});

t.test('freshCheckPoints - far points at larger scales come after the usual ones, which they leave unchanged', async (t) => {
  const net = generateNetwork({ architecture: [10, 15, 15, 1], seed: 1, init: 'carlini' });
  const hidden = net.layers.slice(0, 2);
  const plain = freshCheckPoints(hidden, createRng(3), {});
  const withFar = freshCheckPoints(hidden, createRng(3), { far: { count: 50, scales: [3, 10] } });
  t.equal(withFar.length, plain.length + 100, '50 points per scale besides');
  t.same(withFar.slice(0, plain.length).map((p) => Array.from(p)), plain.map((p) => Array.from(p)), 'the usual points, bit for bit');
  // |x| of N(0, s^2 I) in 10 dimensions: s sqrt(10) give or take ~s; the two groups do not overlap.
  const norms = withFar.slice(plain.length).map((p) => Math.hypot(...p));
  const at3 = norms.slice(0, 50), at10 = norms.slice(50);
  t.ok(Math.max(...at3) < 3 * Math.sqrt(10) * 2 && Math.min(...at3) > 3 * Math.sqrt(10) / 3, `scale 3: |x| in [${Math.min(...at3).toFixed(1)}, ${Math.max(...at3).toFixed(1)}]`);
  t.ok(Math.min(...at10) > Math.max(...at3), `scale 10: |x| from ${Math.min(...at10).toFixed(1)}, beyond every scale-3 point`);
});
