import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { candidateValue, predictCrossings, solveCandidate, solveLayerSigns } from '../src/index.js';

// A constructed layer 1 (6 neurons in R^4, unit rows) and one layer-2 neuron z = c . ReLU(zeta^1) + b,
// written in the unsigned form of ALGORITHM.md section 4 with layer-1 rows 1 and 4 flipped.
const n0 = 4, n1 = 6;
const rng = createRng(7);
const W = new Float64Array(n1 * n0), B = new Float64Array(n1);
for (let j = 0; j < n1; j++) {
  const w = rng.gaussianArray(n0), s = Math.hypot(...w);
  for (let i = 0; i < n0; i++) W[j * n0 + i] = w[i] / s;
  B[j] = 0.3 * rng.nextGaussian();
}
const flips = [0, 1, 0, 0, 1, 0];
const Wr = W.map((v, k) => (flips[Math.floor(k / n0)] ? -v : v)), Br = B.map((v, j) => (flips[j] ? -v : v));
const recovered = denseLayer(n0, n1, Wr, Br);
const c = Float64Array.from([0.8, -0.5, 0.4, 0.9, -0.7, 0.3]), bias = 0.2;
// Unsigned form on the recovered rows: c_j ReLU(-t) = c_j ReLU(t) - c_j t for flipped j.
const lambda = new Float64Array(n0);
let b2 = bias;
flips.forEach((f, j) => {
  if (!f) return;
  for (let i = 0; i < n0; i++) lambda[i] -= c[j] * Wr[j * n0 + i];
  b2 -= c[j] * Br[j];
});
const truth = { c, lambda, bias: b2 };

function boundaryPoints(count: number): Float64Array[] {
  const pts: Float64Array[] = [];
  while (pts.length < count) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v), b = rng.gaussianArray(n0).map((v) => 2 * v);
    for (const p of predictCrossings([recovered], truth, a, b)) pts.push(p.point);
  }
  return pts.slice(0, count);
}

t.test('solveCandidate - recovers the unsigned neuron from exact boundary points', async (t) => {
  const sol = solveCandidate([recovered], boundaryPoints(40));
  const s = sol.bias / truth.bias;
  const err = Math.max(...Array.from(c, (v, j) => Math.abs(sol.c[j] / s - v)), ...Array.from(lambda, (v, i) => Math.abs(sol.lambda[i] / s - v)));
  // Positions from bisection to ~1e-16 of the segment: the null vector is exact to ~1e-12.
  t.ok(err < 1e-9, `max error ${err}`);
  t.ok(sol.closure < 1e-12, `closure ${sol.closure}`);
  t.ok(sol.pinning > 1e-6, `pinning ${sol.pinning}`);
  t.same(sol.droppedPoints, []);
});

t.test('solveCandidate - a stray point that alone carries a column state is left out', async (t) => {
  const z0 = (p: Float64Array) => Wr.subarray(0, n0).reduce((acc, w, i) => acc + w * p[i], Br[0]);
  // Boundary points where layer-1 neuron 0 is off, and one point off the boundary where it is on:
  // without the support rule that point gets its own column (c_0) and the system still closes,
  // on a wrong vector.
  const pts = boundaryPoints(200).filter((p) => z0(p) <= 0).slice(0, 40);
  t.ok(pts.length >= 30, `${pts.length} boundary points with neuron 0 off`);
  let stray = rng.gaussianArray(n0);
  while (z0(stray) <= 0.5) stray = rng.gaussianArray(n0).map((v) => 3 * v);
  const sol = solveCandidate([recovered], [...pts, stray]);
  t.same(sol.droppedPoints, [pts.length], 'the stray point is dropped');
  t.same(sol.unseenColumns, [0], 'neuron 0 never active on the kept points');
  t.ok(sol.closure < 1e-12, `closure ${sol.closure}`);
});

t.test('solveLayerSigns - the stacked Lambda system finds the flipped layer-1 rows', async (t) => {
  // Three layer-2 neurons: n_k * n_(k-2) = 12 equations for 6 indicators.
  const rows = [c, Float64Array.from([-0.4, 0.7, 0.5, -0.2, 0.6, 0.9]), Float64Array.from([0.3, 0.3, -0.8, 0.5, 0.2, -0.6])].map((cz) => {
    const lam = new Float64Array(n0);
    flips.forEach((f, j) => { if (f) for (let i = 0; i < n0; i++) lam[i] -= cz[j] * Wr[j * n0 + i]; });
    return { c: cz, lambda: lam };
  });
  const signs = solveLayerSigns(recovered, rows);
  t.same(Array.from(signs.flips), flips);
  t.ok(signs.margin < 1e-9, `margin ${signs.margin}`);
});

t.test('solveCandidate - two rare lambda columns on one point are no false null vector', async (t) => {
  // Layer 3 over a constructed stack: layer 1 holds six neurons of the domain and two active only
  // where x_0 > 5 (none of the boundary points below, one stray point far out). Those two columns of
  // h^(1) are nonzero on the stray point alone: a combination of them vanishes on every point, so
  // without the lambda support rule any pool with that point closes exactly (a 20-30-30-20-1 layer-3
  // neuron that merged such a point took in every later trace).
  const r = createRng(11);
  const W1 = new Float64Array(8 * n0), B1 = new Float64Array(8);
  for (let j = 0; j < 6; j++) {
    W1.set(r.gaussianArray(n0), j * n0);
    B1[j] = 0.3 * r.nextGaussian();
  }
  W1.set([1, 0, 0, 0], 6 * n0);
  W1.set([1, 0.2, 0, 0], 7 * n0);
  B1[6] = B1[7] = -5;
  const l1 = denseLayer(n0, 8, W1, B1);
  const l2 = denseLayer(8, 6, Float64Array.from(r.gaussianArray(48)), Float64Array.from(r.gaussianArray(6).map((v) => 0.3 * v)));
  const known = [l1, l2];
  // Each bias puts the boundary through the middle of the domain: minus the median of c . ReLU(zeta^2).
  const probes = Array.from({ length: 101 }, () => r.gaussianArray(n0).map((v) => 2 * v));
  const cand = (cs: number[]) => {
    const c = Float64Array.from(cs), lambda = new Float64Array(8);
    const values = probes.map((x) => candidateValue(known, { c, lambda, bias: 0 }, x).value).sort((a, b) => a - b);
    return { c, lambda, bias: -values[50] };
  };
  const one = cand([0.8, -0.5, 0.4, 0.9, -0.7, 0.3]), two = cand([-0.4, 0.7, 0.5, -0.2, 0.6, 0.9]);
  const pointsOf = (cd: ReturnType<typeof cand>, count: number) => {
    const pts: Float64Array[] = [];
    while (pts.length < count) {
      const a = r.gaussianArray(n0).map((v) => 2 * v), b = r.gaussianArray(n0).map((v) => 2 * v);
      for (const p of predictCrossings(known, cd, a, b)) if (p.point[0] < 4) pts.push(p.point);
    }
    return pts.slice(0, count);
  };
  const ones = pointsOf(one, 60), twos = pointsOf(two, 60);
  const stray = Float64Array.of(8, 0.5, -0.3, 0.2);
  const pooled = solveCandidate(known, [...ones, ...twos, stray]);
  t.ok(pooled.closure > 1e-6, `two neurons' points with the stray point do not close (closure ${pooled.closure})`);
  t.same(pooled.droppedPoints, [120], 'the stray point is left out');
  const own = solveCandidate(known, [...ones, stray]);
  t.same(own.droppedPoints, [60], 'the stray point is left out of one neuron\'s points');
  t.ok(own.closure < 1e-12, `closure ${own.closure}`);
  // The stray point changes nothing: the solution of the neuron's own points, to rounding.
  const base = solveCandidate(known, ones), s = own.bias / base.bias;
  const err = Math.max(...Array.from(base.c, (v, j) => Math.abs(own.c[j] / s - v)), ...Array.from(base.lambda, (v, i) => Math.abs(own.lambda[i] / s - v)));
  t.ok(base.closure < 1e-12 && base.pinning > 1e-6, `the neuron's own points pin it (closure ${base.closure}, pinning ${base.pinning})`);
  t.ok(err < 1e-12 * Math.max(...base.c.map(Math.abs)), `the same neuron with the stray point, max difference ${err}`);
});
