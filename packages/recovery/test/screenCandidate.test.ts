import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { predictCrossings, solveCandidate } from '../src/index.js';
import { screenCandidate } from '../src/deeper/solveCandidate.js';

// A random layer 1 (8 neurons in R^5) and random layer-2 candidates on it: the screen may only say
// "open" where the SVD's closure is at least its bound (a proof, not a tolerance: checked on
// every pool here), and must leave out the points solveCandidate leaves out.
const n0 = 5, n1 = 8;
const rng = createRng(11);
const layer = denseLayer(n0, n1, Float64Array.from(rng.gaussianArray(n0 * n1)), Float64Array.from(rng.gaussianArray(n1).map((v) => 0.3 * v)));
const candidate = () => ({ c: Float64Array.from(rng.gaussianArray(n1)), lambda: Float64Array.from(rng.gaussianArray(n0)), bias: 0.2 * rng.nextGaussian() });

function boundaryPoints(cand: ReturnType<typeof candidate>, count: number): Float64Array[] {
  const pts: Float64Array[] = [];
  for (let tries = 0; pts.length < count && tries < 10_000; tries++) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v), b = rng.gaussianArray(n0).map((v) => 2 * v);
    for (const p of predictCrossings([layer], cand, a, b)) pts.push(p.point);
  }
  return pts.slice(0, count);
}

t.test('screenCandidate - a neuron\'s own points are not screened out; two neurons pooled are, and the SVD agrees', async (t) => {
  const one = boundaryPoints(candidate(), 40), two = boundaryPoints(candidate(), 40);
  const own = screenCandidate([layer], one);
  t.equal(own.closureAtLeast, 0, 'one neuron\'s points close: nothing proven');
  t.ok(solveCandidate([layer], one).closure < 1e-12);
  const pooled = [...one, ...two];
  const screen = screenCandidate([layer], pooled), sol = solveCandidate([layer], pooled);
  t.equal(screen.closureAtLeast, 9e-5, 'proven open');
  t.ok(sol.closure >= screen.closureAtLeast, `SVD closure ${sol.closure}`);
});

t.test('screenCandidate - on random pools the bound holds and the left-out points are solveCandidate\'s', async (t) => {
  const neurons = [candidate(), candidate(), candidate()].map((cand) => boundaryPoints(cand, 30));
  let proven = 0;
  for (let trial = 0; trial < 60; trial++) {
    // a neuron's points, some of another's (0 to 5), and sometimes a point off every boundary
    const base = neurons[trial % 3], other = neurons[(trial + 1) % 3];
    const pts = [...base.slice(0, 12 + (trial % 19)), ...other.slice(0, trial % 6)];
    if (trial % 4 === 0) pts.push(Float64Array.from(rng.gaussianArray(n0)));
    for (const signed of [false, true]) {
      const screen = screenCandidate([layer], pts, { signed }), sol = solveCandidate([layer], pts, { signed });
      t.same(screen.unsupported, sol.droppedPoints, `trial ${trial}${signed ? ' signed' : ''}: left-out points`);
      if (screen.closureAtLeast > 0) {
        proven++;
        t.ok(sol.closure >= screen.closureAtLeast, `trial ${trial}${signed ? ' signed' : ''}: SVD closure ${sol.closure}`);
      }
    }
  }
  t.ok(proven > 20, `${proven} pools proven open`);
});
