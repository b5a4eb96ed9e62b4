import t from 'tap';
import { Probe } from '@relurec/geometry';
import { denseLayer, forward, generateNetwork, parseNetwork, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { candidateValue, localState, makeTolerances, predictCrossings, solveCandidate } from '../src/index.js';
import { probeBoundary } from '../src/deeper/probeBoundary.js';
import { walkPredictedBoundary } from '../src/deeper/reachFixedColumns.js';
import { traceSeed } from '../src/deeper/findDeeperLayer.js';

const probeOf = (net: ReluNetwork) => new Probe(async (x, rows) => forward(net, x, rows), { inputDim: net.layers[0].inDim, outputDim: 1 });

// y = relu(relu(x1) + relu(x2) - 1): the boundary x1 = 0 shows only where the layer-2 unit is
// active (x2 > 1 there); below it the output is constant 0.
const gated = parseNetwork({
  format: 'relu-net', version: 1,
  layers: [
    { weights: [[1, 0], [0, 1]], biases: [0, 0] },
    { weights: [[1, 1]], biases: [-1] },
    { weights: [[1]], biases: [0] },
  ],
});

t.test('probeBoundary - hit, miss, absent and flat on a hand-built gate (window 1e-3)', async (t) => {
  const probe = probeOf(gated);
  const tol = makeTolerances(1, 1, 0);
  const n = Float64Array.of(1, 0);
  const at = async (x1: number, x2: number) => (await probeBoundary(probe, Float64Array.of(x1, x2), n, tol)).result;
  t.equal(await at(0, 3), 'hit', 'x1 = 0 where the gate is open: the kink is there');
  t.equal(await at(0, -3), 'flat', 'x1 = 0 where the output is constant: no evidence');
  t.equal(await at(0.5, 3), 'absent', 'no kink where the output changes along the line: the boundary is not there');
  t.equal(await at(5e-4, 3), 'miss', 'a kink in the window, 5e-4 from the prediction');
  t.equal(await at(-5e-4, 3), 'flat', 'the same, seen from the side where the output is constant: no evidence');
});

// Layer 1: the axes of R^3 (rows e1, e2, e3); candidate zeta = relu(x1) - relu(x2) + 0.5 x3 - 0.2
// written in the unsigned form (c, lambda, bias) of equationRow (signs of layer 1 taken as given).
const axes = denseLayer(3, 3, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), new Float64Array(3));
const cand = { c: Float64Array.of(1, -1, 0), lambda: Float64Array.of(0, 0, 0.5), bias: -0.2 };

t.test('walkPredictedBoundary - walks the predicted boundary to a column boundary, and stops at a fixed one', async (t) => {
  // Start on the boundary with x1 < 0, x2 > 0: zeta = -x2 + 0.5 x3 - 0.2 = 0 at (-1, 0.3, 1).
  const from = Float64Array.of(-1, 0.3, 1);
  t.ok(Math.abs(candidateValue([axes], cand, from).value) < 1e-15, 'start on the boundary (construction)');
  const w = walkPredictedBoundary([axes], cand, from, 0, { radius: 10, fixed: [2], fixedStates: [1], margin: 1e-2 });
  t.equal(w.kind, 'reached');
  if (w.kind !== 'reached') return;
  t.ok(Math.abs(candidateValue([axes], cand, w.point).value) < 1e-14, 'the end lies on the predicted boundary');
  t.ok(w.point[0] < 0 && w.point[0] > -1.1e-2 && w.point[0] < -0.9e-2, `1e-2 short of x1 = 0 (x1 = ${w.point[0]})`);
  t.ok(w.point[2] > 0, 'x3 kept its state');
  // Towards x2 = 0 from there the boundary would need x3 < 0.4 ... keep x3 > 0 fixed and forbid x1's
  // boundary (fixed inactive): the walk towards column 1 meets column 0 first or gets there.
  const b = walkPredictedBoundary([axes], cand, Float64Array.of(-1, 0.3, 1), 1, { radius: 10, fixed: [0], fixedStates: [0], margin: 1e-2 });
  t.ok(b.kind === 'reached' || b.kind === 'blocked', `towards column 1: ${b.kind}`);
  const far = walkPredictedBoundary([axes], cand, from, 0, { radius: 0.5, fixed: [], fixedStates: [] });
  t.equal(far.kind, 'far', 'outside the radius');
});

t.test('solveCandidate - lambda on the coordinates the points see: a layer-(k-1) narrower than layer k-2, two layer-(k-2) neurons never active', async (t) => {
  // 6-8-7-(candidate): layer 2 (7 rows over 8) is contractive, so lambda is solved in its row space;
  // layer-1 neurons 0 and 1 are inactive on every point, so the points see 6 coordinates of h^1, and
  // 7 basis rows over them have an exact false null vector (pinning ~1e-16; a 10-20-19 layer stack
  // lost every layer-3 trace that way).
  const rng = createRng(11);
  const layer = (inD: number, outD: number): DenseLayer => {
    const W = new Float64Array(outD * inD), b = new Float64Array(outD);
    for (let j = 0; j < outD; j++) {
      const w = rng.gaussianArray(inD), s = Math.hypot(...w);
      for (let i = 0; i < inD; i++) W[j * inD + i] = w[i] / s;
      b[j] = 0.3 * rng.nextGaussian();
    }
    return denseLayer(inD, outD, W, b);
  };
  const l1 = layer(6, 8);
  l1.biases[0] = l1.biases[1] = -1.5; // mostly inactive, so that many points have both off
  const known = [l1, layer(8, 7)];
  const c3 = Float64Array.from(rng.gaussianArray(7));
  // bias at the median of c . relu(zeta^2) over the domain: the boundary crosses it often
  const vals = Array.from({ length: 201 }, () => candidateValue(known, { c: c3, lambda: new Float64Array(8), bias: 0 }, rng.gaussianArray(6).map((v) => 2 * v)).value).sort((a, b) => a - b);
  const truth = { c: c3, lambda: new Float64Array(8), bias: -vals[100] };
  const pts: Float64Array[] = [];
  for (let s = 0; s < 2000 && pts.length < 120; s++) {
    for (const p of predictCrossings(known, truth, rng.gaussianArray(6).map((v) => 2 * v), rng.gaussianArray(6).map((v) => 2 * v))) {
      const z1 = localState(known, p.point).zetas[0];
      if (!(z1[0] > 0) && !(z1[1] > 0)) pts.push(p.point);
    }
  }
  t.ok(pts.length >= 60, `${pts.length} boundary points with layer-1 neurons 0 and 1 inactive (construction)`);
  const sol = solveCandidate(known, pts);
  t.ok(sol.closure < 1e-12, `closes (${sol.closure.toExponential(1)})`);
  t.ok(sol.pinning > 1e-6, `pinned down (${sol.pinning.toExponential(1)})`);
  const used = Array.from(c3.keys()).filter((j) => !sol.unseenColumns.includes(j) && !sol.alwaysActiveColumns.includes(j));
  const s = used.reduce((a, j) => a + sol.c[j] * c3[j], 0) / used.reduce((a, j) => a + c3[j] * c3[j], 0);
  const err = Math.max(...used.map((j) => Math.abs(sol.c[j] / s - c3[j])), Math.abs(sol.bias / s - truth.bias));
  t.ok(err < 1e-10, `c and bias within 1e-10 of the construction (${err.toExponential(1)})`);
});

// Seeds on a constructed 3-hidden-layer network (generateNetwork 8-10-10-10-1, rk, seed 4), found
// by bisection on the construction; layer 1 known exactly (its canonical rows).
t.test('traceSeed - layer 2 of a 3-hidden-layer net: its own neurons accepted, layer-3 seeds never', async (t) => {
  const net = generateNetwork({ architecture: [8, 10, 10, 10, 1], seed: 4, init: 'rk' });
  const L1 = net.layers[0], n0 = 8;
  const W1 = Float64Array.from(L1.weights), b1 = Float64Array.from(L1.biases);
  for (let j = 0; j < L1.outDim; j++) {
    const s = Math.hypot(...W1.subarray(j * n0, (j + 1) * n0));
    for (let i = 0; i < n0; i++) W1[j * n0 + i] /= s;
    b1[j] /= s;
  }
  const known = [denseLayer(n0, L1.outDim, W1, b1)];
  const hidden = net.layers.slice(0, 3).map((l) => denseLayer(l.inDim, l.outDim, l.weights, l.biases));
  const rng = createRng(5);
  const seedOn = (layer: number, j: number) => {
    for (let tries = 0; tries < 200; tries++) {
      const a = rng.gaussianArray(n0), b = rng.gaussianArray(n0);
      const at = (s: number) => a.map((v, i) => v + s * (b[i] - a[i]));
      const val = (s: number) => localState(hidden, at(s)).zetas[layer - 1][j];
      if (Math.sign(val(0)) === Math.sign(val(1))) continue;
      let lo = 0, hi = 1;
      for (let it = 0; it < 60; it++) {
        const m = 0.5 * (lo + hi);
        if (Math.sign(val(m)) === Math.sign(val(lo))) lo = m; else hi = m;
      }
      const p = at(0.5 * (lo + hi)), st = localState(hidden, p);
      // visible: the output bends there (construction), and no other neuron within 1e-2
      const g = st.grads[layer - 1].subarray(j * n0, (j + 1) * n0), gn = Math.hypot(...g);
      const crowded = st.zetas.some((z, l) => Array.from(z).some((v, i) => !(l === layer - 1 && i === j) && Math.abs(v) < 1e-2 * Math.hypot(...st.grads[l].subarray(i * n0, (i + 1) * n0))));
      const f = (d: number) => forward(net, p.map((v, i) => v + d * g[i] / gn), 1)[0];
      if (crowded || Math.abs(f(2e-4) - f(1e-4) - (f(-1e-4) - f(-2e-4))) < 1e-9) continue;
      return { point: p, normal: g.map((v) => v / gn) };
    }
    return undefined;
  };
  const tol = makeTolerances(1, 1, 0);
  let accepted = 0, tried2 = 0, wrong = 0, tried3 = 0;
  for (let j = 0; j < 10; j++) {
    const s2 = seedOn(2, j), s3 = seedOn(3, j);
    if (s2) {
      tried2++;
      const out = await traceSeed({ probe: probeOf(net), tol, rng: createRng(100 + j), log: () => {} }, known, s2, 0, [], j);
      if (out.kind === 'neuron') accepted++;
    }
    if (s3) {
      tried3++;
      const out = await traceSeed({ probe: probeOf(net), tol, rng: createRng(200 + j), log: () => {} }, known, s3, 0, [], j);
      if (out.kind === 'neuron') wrong++;
    }
  }
  t.ok(tried2 >= 6 && tried3 >= 6, `seeds on ${tried2} layer-2 and ${tried3} layer-3 neurons (construction)`);
  t.equal(wrong, 0, 'no layer-3 neuron accepted as layer 2');
  t.ok(accepted >= tried2 - 1, `layer-2 seeds accepted: ${accepted} of ${tried2}`);
});
