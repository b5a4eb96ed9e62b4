import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { predictCrossings, solveCandidate, solveLayerSigns } from '../src/index.js';

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
