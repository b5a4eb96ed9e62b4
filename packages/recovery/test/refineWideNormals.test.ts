import t from 'tap';
import { Probe } from '@relurec/geometry';
import { forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { findFirstLayer, makeTolerances, type Hyperplane } from '../src/index.js';
import { refineWideNormals } from '../src/layer1/refineWideNormals.js';

// 200-32-1 rk seed 1: wide enough for findFirstLayer's 'normal' fit mode (inputDim > 64), small
// enough to run in ~3 s. Ground truth is used here only to score the planes.
const arch = [200, 32, 1];

async function layerOne(net: ReluNetwork) {
  const n0 = arch[0];
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: n0, outputDim: 1 });
  const sr = createRng(1).fork('scale');
  const ys = await probe.scalars(Array.from({ length: 8 }, () => sr.gaussianArray(n0)));
  const tol = makeTolerances(Math.max(...ys.map(Math.abs)), 1);
  const l1 = await findFirstLayer({ probe, tol, rng: createRng(1).fork('layer1'), log: () => {} });
  return { probe, tol, planes: l1.planes };
}

/** Per plane, against the canonical true neuron it matches (|cos|, sign-agnostic). */
function score(net: ReluNetwork, planes: Hyperplane[]) {
  const n0 = arch[0], W = net.layers[0].weights, B = net.layers[0].biases, U = net.layers[1].weights;
  return planes.map((p) => {
    let best = 0, bc = 0;
    for (let j = 0; j < arch[1]; j++) {
      let c = 0, s = 0;
      for (let i = 0; i < n0; i++) { c += W[j * n0 + i] * p.normal[i]; s += W[j * n0 + i] ** 2; }
      c /= Math.sqrt(s);
      if (Math.abs(c) > Math.abs(bc)) { bc = c; best = j; }
    }
    const row = W.subarray(best * n0, (best + 1) * n0), len = Math.hypot(...row), s = Math.sign(bc);
    let normal = 0;
    for (let i = 0; i < n0; i++) normal = Math.max(normal, Math.abs(p.normal[i] - (s * row[i]) / len));
    // plane.jump is the canonical output weight whatever the plane's orientation (section 5).
    return { neuron: best, sign: s, normal, offset: Math.abs(p.offset - (s * B[best]) / len), jump: Math.abs(p.jump[0] - U[best] * len) };
  });
}
const worst = (xs: number[]) => Math.max(...xs);

t.test('refineWideNormals - 200-32-1 rk seed 1: worst normal error falls >= 1000x to below 2e-12', async (t) => {
  const net = generateNetwork({ architecture: arch, seed: 1, init: 'rk' });
  const { probe, tol, planes } = await layerOne(net);
  t.equal(planes.length, 32, 'layer 1 complete (the method needs every neuron)');
  const before = score(net, planes);
  t.equal(new Set(before.map((s) => s.neuron)).size, 32, 'one plane per neuron');
  const spent = probe.spent;
  // The skip rule at 2^-40 (the default is 2^-42, which re-measures all 32 here).
  const rep = await refineWideNormals(probe, planes, tol, { target: 2 ** -40 });
  const after = score(net, planes);
  const wb = worst(before.map((s) => s.normal)), wa = worst(after.map((s) => s.normal));
  // Measured: 2.0e-9 -> 9.5e-13 (factor ~2100); the worst after is a neuron left alone (estimate < 2^-40).
  t.ok(wb > 1e-9, `worst normal error before ${wb.toExponential(2)} (measured 2.0e-9: the jump normals are rounding-limited)`);
  t.ok(wa < 2e-12, `worst normal error after ${wa.toExponential(2)} (measured 9.5e-13; 2^-36 = 1.5e-11)`);
  t.ok(wb / wa >= 1000, `improvement ${(wb / wa).toFixed(0)}x (measured ~2100x)`);
  t.ok(worst(after.map((s) => s.offset)) < 1e-11, `worst offset error ${worst(after.map((s) => s.offset)).toExponential(2)} (measured 4.5e-13)`);
  t.ok(worst(after.map((s) => s.jump)) < 1e-11, `worst jump error ${worst(after.map((s) => s.jump)).toExponential(2)} (measured 1.7e-13)`);
  t.same(rep.failed, [], 'no neuron failed its checks');
  t.equal(rep.refined + rep.skipped, 32);
  t.ok(rep.refined >= 16 && rep.refined < 32, `refined ${rep.refined} (measured 24): only neurons whose estimated error is above 2^-40`);
  // Signs: +1 where normal . x + offset > 0 is the active side, i.e. the plane points like the true row.
  t.same(Array.from(rep.signs), after.map((s) => s.sign), 'signs match the truth');
  t.equal(rep.bias[0], net.layers[1].biases[0], 'output bias exact (nothing active: the oracle returns c itself)');
  // Cost: 1 + k sign queries, 3 bias queries, 1 + 4 checks per neuron, n0 (+1 offset point) per refined neuron.
  const bound = 1 + 32 + 3 + 5 * 32 + rep.refined * (arch[0] + 1);
  t.equal(rep.queries, probe.spent - spent);
  t.ok(rep.queries <= bound, `queries ${rep.queries} <= ${bound} (measured 5003)`);
  // Every refined plane keeps an exact boundary point first, consistent with its offset.
  for (const p of planes) {
    let v = p.offset;
    for (let i = 0; i < arch[0]; i++) v += p.normal[i] * p.points[0][i];
    if (!(Math.abs(v) < 1e-12)) t.fail(`points[0] off its plane by ${v}`);
  }
});

t.test('refineWideNormals - target 0 re-measures every neuron: worst normal error < 1e-13', async (t) => {
  const net = generateNetwork({ architecture: arch, seed: 1, init: 'rk' });
  const { probe, tol, planes } = await layerOne(net);
  const rep = await refineWideNormals(probe, planes, tol, { target: 0 });
  t.equal(rep.refined, 32);
  const after = score(net, planes);
  // Measured 8.8e-15 (normal), 4.5e-13 (offset: the floor eps |c| / |a_j| of the weakest neuron).
  t.ok(worst(after.map((s) => s.normal)) < 1e-13, `worst normal error ${worst(after.map((s) => s.normal)).toExponential(2)}`);
  t.ok(worst(after.map((s) => s.offset)) < 5e-12, `worst offset error ${worst(after.map((s) => s.offset)).toExponential(2)}`);
});

t.test('refineWideNormals - an incomplete layer: a refusal or no plane made worse, never a wrong plane', async (t) => {
  // Measured with each of the 32 planes dropped in turn: 24 refusals (the sign or constant-output
  // checks), 8 runs that refined only neurons the missing one does not disturb, none made worse.
  const net = generateNetwork({ architecture: arch, seed: 1, init: 'rk' });
  const { probe, tol, planes } = await layerOne(net);
  let refused = 0;
  for (let drop = 0; drop < 8; drop++) {
    const kept = planes.filter((_, j) => j !== drop).map((p) => ({ ...p, normal: Float64Array.from(p.normal), jump: Float64Array.from(p.jump), points: [...p.points] }));
    const before = score(net, kept);
    try {
      await refineWideNormals(probe, kept, tol, { target: 0 });
    } catch (e) {
      t.match((e as Error).message, /incomplete|does not switch one neuron alone/, `drop ${drop}: refused`);
      refused++;
      continue;
    }
    const after = score(net, kept);
    const worse = after.filter((s, j) => s.normal > Math.max(before[j].normal, 1e-11) || s.offset > Math.max(before[j].offset, 1e-11)).length;
    t.equal(worse, 0, `drop ${drop}: no plane made worse`);
  }
  t.ok(refused >= 1, `refused ${refused} of 8 (measured 5: drops 1, 2, 4, 5, 7)`);
});

t.test('refineWideNormals - in chunks (signs and bias first, then any split of the planes) gives the same planes bit for bit', async (t) => {
  const net = generateNetwork({ architecture: arch, seed: 2, init: 'rk' });
  const { probe, tol, planes } = await layerOne(net);
  const copy = (ps: Hyperplane[]) => ps.map((p) => ({ ...p, normal: Float64Array.from(p.normal), jump: Float64Array.from(p.jump), points: [...p.points] }));
  const whole = copy(planes);
  const all = await refineWideNormals(probe, whole, tol);
  const head = await refineWideNormals(probe, copy(planes), tol, { neurons: [] });
  t.same([head.refined, head.skipped], [0, 0], 'the head call measures nothing but signs and bias');
  t.same(Array.from(head.before), new Array(planes.length).fill(-1), 'NOT_MEASURED everywhere');
  // As the refinement tasks do: each chunk starts from the measured planes and keeps its own.
  const split = copy(planes);
  const chunks = [[5, 31, 0], Array.from({ length: 30 }, (_, i) => i + 1).filter((j) => j !== 5)];
  for (const neurons of chunks) {
    const mine = copy(planes);
    const part = await refineWideNormals(probe, mine, tol, { signs: head.signs, bias: head.bias, neurons });
    t.equal(part.signMargin, -1, 'signs given: signMargin NOT_MEASURED');
    for (const j of neurons) split[j] = mine[j];
  }
  t.same(Array.from(head.signs), Array.from(all.signs));
  t.equal(head.signMargin, all.signMargin, 'the same sign measurement');
  // Each plane alone moves f by +-a_j R to the jump's own precision (~1e-8 before refinement).
  t.ok(head.signMargin >= 0 && head.signMargin < 1e-6, `signMargin ${head.signMargin.toExponential(2)}`);
  t.same(Array.from(head.bias), Array.from(all.bias));
  whole.forEach((p, j) => {
    t.same([Array.from(split[j].normal), split[j].offset, Array.from(split[j].jump)], [Array.from(p.normal), p.offset, Array.from(p.jump)], `plane ${j}`);
  });
  await t.rejects(refineWideNormals(probe, copy(planes), tol, { signs: head.signs, bias: head.bias, neurons: [32] }), /neuron index 32 is not one of the 32 planes/);
});
