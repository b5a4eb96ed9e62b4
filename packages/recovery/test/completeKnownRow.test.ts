import t from 'tap';
import { denseLayer, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { completeKnownRow } from '../src/deeper/completeKnownRow.js';
import { cleanSignedPoints } from '../src/deeper/cleanSignedPoints.js';
import { solveCandidate } from '../src/index.js';

// A constructed layer 1 (signs fixed: 6 unit rows in R^4) and layer 2 (3 neurons). Boundary points
// of each layer-2 neuron are found by bisection on its true pre-activation (no black box). Neuron 1
// is "known" from points where layer-1 neuron 2 is inactive only, so its weight from neuron 2 is
// unseen (0 in the known row); points where neuron 2 is active complete it exactly. Expected values:
// the construction.
const n0 = 4, n1 = 6, n2 = 3;
const rng = createRng(7);
const W1 = new Float64Array(n1 * n0), B1 = new Float64Array(n1);
for (let j = 0; j < n1; j++) {
  const w = rng.gaussianArray(n0), s = Math.hypot(...w);
  for (let i = 0; i < n0; i++) W1[j * n0 + i] = w[i] / s;
  B1[j] = 0.5 * rng.nextGaussian();
}
const layer1 = denseLayer(n0, n1, W1, B1);
const W2 = new Float64Array(n2 * n1), B2 = new Float64Array(n2);
for (let z = 0; z < n2; z++) {
  const w = rng.gaussianArray(n1), s = Math.hypot(...w);
  for (let j = 0; j < n1; j++) W2[z * n1 + j] = w[j] / s;
  B2[z] = 0.3 * rng.nextGaussian();
}
const h1 = (x: Float64Array) => Float64Array.from({ length: n1 }, (_, j) => {
  let v = B1[j];
  for (let i = 0; i < n0; i++) v += W1[j * n0 + i] * x[i];
  return v;
});
const zeta2 = (W: Float64Array, B: Float64Array, z: number, x: Float64Array) => {
  const h = h1(x);
  let v = B[z];
  for (let j = 0; j < n1; j++) v += W[z * n1 + j] * Math.max(0, h[j]);
  return v;
};
/** Boundary points of neuron z of (W, B) on random segments, kept when `keep` holds there. */
function boundaryPoints(W: Float64Array, B: Float64Array, z: number, count: number, keep: (x: Float64Array) => boolean): Float64Array[] {
  const out: Float64Array[] = [];
  for (let tries = 0; tries < 20000 && out.length < count; tries++) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v), b = rng.gaussianArray(n0).map((v) => 2 * v);
    const at = (s: number) => a.map((v, i) => v + s * (b[i] - v));
    let lo = 0, hi = 1, flo = zeta2(W, B, z, at(0));
    if (Math.sign(flo) === Math.sign(zeta2(W, B, z, at(1)))) continue;
    for (let it = 0; it < 200 && hi - lo > 1e-17; it++) {
      const mid = 0.5 * (lo + hi), fm = zeta2(W, B, z, at(mid));
      if (fm === 0) { lo = hi = mid; break; }
      if (Math.sign(fm) === Math.sign(flo)) { lo = mid; flo = fm; } else hi = mid;
    }
    const p = at(0.5 * (lo + hi));
    if (keep(p)) out.push(p);
  }
  return out;
}
const all = () => true;
const off2 = (x: Float64Array) => h1(x)[2] <= 0, on2 = (x: Float64Array) => h1(x)[2] > 0;
const points = [boundaryPoints(W2, B2, 0, 40, all), boundaryPoints(W2, B2, 1, 40, off2), boundaryPoints(W2, B2, 2, 40, all)];
// The known layer: neuron 1's weight from layer-1 neuron 2 unseen (0), rows at unit norm.
const Wk = Float64Array.from(W2), Bk = Float64Array.from(B2);
Wk[1 * n1 + 2] = 0;
const s1 = Math.hypot(...Wk.subarray(n1, 2 * n1));
for (let j = 0; j < n1; j++) Wk[n1 + j] /= s1;
Bk[1] /= s1;
const known: DenseLayer = denseLayer(n1, n2, Wk, Bk);

t.test('completeKnownRow - far points of a known neuron with an unseen weight complete its row exactly', async (t) => {
  const far = boundaryPoints(W2, B2, 1, 30, on2);
  t.equal(far.length, 30, 'constructed: 30 points where layer-1 neuron 2 is active');
  t.same(solveCandidate([layer1], points[1], true).unseenColumns, [2], 'constructed: the known points never show column 2');
  const done = completeKnownRow([layer1], known, points, far);
  t.ok(done, 'pooled');
  t.equal(done!.owner, 1, 'owner: neuron 1');
  t.same(done!.unseenColumns, [], 'every weight seen now');
  // The true row at unit norm, with the known row's sign.
  const s = Math.hypot(...W2.subarray(n1, 2 * n1));
  let err = Math.abs(done!.layer.biases[1] - B2[1] / s);
  for (let j = 0; j < n1; j++) err = Math.max(err, Math.abs(done!.layer.weights[n1 + j] - W2[n1 + j] / s));
  t.ok(err < 1e-12, `row within 1e-12 of the truth (${err.toExponential(1)})`);
  for (const z of [0, 2]) {
    for (let j = 0; j < n1; j++) t.equal(done!.layer.weights[z * n1 + j], Wk[z * n1 + j], `row ${z} unchanged`);
  }
});

t.test('completeKnownRow - points of a neuron the layer does not hold pool with none', async (t) => {
  // A fourth neuron, not in the known layer.
  const W4 = new Float64Array(n1).map(() => rng.nextGaussian()), s = Math.hypot(...W4);
  const Wx = Float64Array.from([...W2, ...W4.map((v) => v / s)]), Bx = Float64Array.from([...B2, 0.1]);
  const other = boundaryPoints(Wx, Bx, 3, 30, all);
  t.equal(other.length, 30);
  t.equal(completeKnownRow([layer1], known, points, other), undefined, 'no owner');
});

t.test('completeKnownRow - owner: only that neuron is tried', async (t) => {
  const far = boundaryPoints(W2, B2, 1, 20, on2);
  t.equal(completeKnownRow([layer1], known, points, far, { owner: 0 }), undefined, 'neuron 0 does not pool with neuron 1 points');
  t.equal(completeKnownRow([layer1], known, points, far, { owner: 1 })?.owner, 1, 'neuron 1 does');
});

t.test('cleanSignedPoints - a stray stretch after a clean prefix is dropped, the row is exact', async (t) => {
  const own = boundaryPoints(W2, B2, 2, 40, all), stray = boundaryPoints(W2, B2, 0, 4, all);
  const mixed = [...own.slice(0, 30), ...stray, ...own.slice(30)];
  t.ok(solveCandidate([layer1], mixed, true).closure > 1e-6, 'constructed: the mixed points do not close');
  const clean = cleanSignedPoints([layer1], mixed);
  t.ok(clean, 'cleaned');
  t.same(clean!.dropped, [30, 31, 32, 33], 'exactly the stray points');
  const c = clean!.solution.c, sc = Math.hypot(...c), s = Math.hypot(...W2.subarray(2 * n1, 3 * n1));
  const sg = Math.sign(c[0] * W2[2 * n1]);
  let err = Math.abs((sg * clean!.solution.bias) / sc - B2[2] / s);
  for (let j = 0; j < n1; j++) err = Math.max(err, Math.abs((sg * c[j]) / sc - W2[2 * n1 + j] / s));
  t.ok(err < 1e-12, `row within 1e-12 of the truth (${err.toExponential(1)})`);
});

t.test('cleanSignedPoints - too few points, or a stray start (the start of a trace is trusted): undefined', async (t) => {
  const own = boundaryPoints(W2, B2, 2, 40, all);
  t.equal(cleanSignedPoints([layer1], own.slice(0, n1)), undefined, 'fewer points than unknowns + 1');
  // Points of neuron 0 first: the longest closing prefix is the stray one, and too short to pin.
  const stray = boundaryPoints(W2, B2, 0, 3, all);
  t.equal(cleanSignedPoints([layer1], [...stray, ...own].slice(0, n1 + 2).concat([stray[0]])), undefined, 'the first points do not close');
});
