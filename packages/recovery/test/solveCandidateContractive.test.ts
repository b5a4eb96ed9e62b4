import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { predictCrossings, solveCandidate } from '../src/index.js';

// A contractive layer 1 (5 unit rows in R^12, as in 40-20-...): a layer-2 boundary is invariant
// along the 7-dimensional null space of W^1, so an unrestricted lambda in R^12 has exact false null
// vectors. The true lambda (rows 1 and 3 flipped: lambda = -sum c_j V_j over flipped j) lies in the
// row space of W^1; solved there, the neuron is pinned and exact. Expected values: the construction.
const n0 = 12, n1 = 5;
const rng = createRng(3);
const W = new Float64Array(n1 * n0), B = new Float64Array(n1);
for (let j = 0; j < n1; j++) {
  const w = rng.gaussianArray(n0), s = Math.hypot(...w);
  for (let i = 0; i < n0; i++) W[j * n0 + i] = w[i] / s;
  B[j] = 0.3 * rng.nextGaussian();
}

const c = Float64Array.from([0.8, -0.5, 0.4, 0.9, -0.7]), flips = [0, 1, 0, 1, 0];
const lambda = new Float64Array(n0);
let bias = 0.2;
// Recovered rows are W with rows 1 and 3 negated; the unsigned form on them: see deeperSolveCandidate.test.ts.
const Wr = W.map((v, k) => (flips[Math.floor(k / n0)] ? -v : v)), Br = B.map((v, j) => (flips[j] ? -v : v));
const recovered = denseLayer(n0, n1, Wr, Br);
flips.forEach((f, j) => {
  if (!f) return;
  for (let i = 0; i < n0; i++) lambda[i] -= c[j] * Wr[j * n0 + i];
  bias -= c[j] * Br[j];
});

t.test('solveCandidate - contractive layer k-1: lambda solved in the row space of W^(k-1), pinned and exact', async (t) => {
  // Like a trace (its moves lie in the span of the normals and gradients, the row space of W^1), the
  // points stay in p0 + rowspace(W^1): lambda's other components are then not seen by any point.
  const p0 = rng.gaussianArray(n0);
  const inRowSpace = () => { const a = rng.gaussianArray(n1), x = Float64Array.from(p0); for (let j = 0; j < n1; j++) for (let i = 0; i < n0; i++) x[i] += 2 * a[j] * W[j * n0 + i]; return x; };
  const pts: Float64Array[] = [];
  while (pts.length < 40) {
    const a = inRowSpace(), b = inRowSpace();
    for (const p of predictCrossings([recovered], { c, lambda, bias }, a, b)) pts.push(p.point);
  }
  const sol = solveCandidate([recovered], pts);
  t.ok(sol.closure < 1e-12, `closes (${sol.closure.toExponential(1)})`);
  t.ok(sol.pinning > 1e-6, `pinned down (${sol.pinning.toExponential(1)})`);
  const s = bias / sol.bias;
  let err = 0;
  for (let j = 0; j < n1; j++) err = Math.max(err, Math.abs(sol.c[j] * s - c[j]));
  for (let i = 0; i < n0; i++) err = Math.max(err, Math.abs(sol.lambda[i] * s - lambda[i]));
  t.ok(err < 1e-10, `c and lambda within 1e-10 of the construction (${err.toExponential(1)})`);
});
