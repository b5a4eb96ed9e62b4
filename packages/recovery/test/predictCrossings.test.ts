import t from 'tap';
import { denseLayer, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { candidateValue, predictCrossings, predictCrossingsForWeights } from '../src/index.js';
import { candidateValueFunction, knownForwardPass } from '../src/deeper/Candidate.js';
import { localValues } from '../src/known/localState.js';

// Known layer: h = ReLU(x) in R^2. Signed candidate relu(x1) + w relu(x2) - 1 on the segment
// (0, 0) -> (3, 3): 3t(1 + w) - 1 = 0 at t = 1 / (3 (1 + w)), off the grid of 64; none for w = -1.
t.test('predictCrossings - the crossings of a constructed boundary, and its normal', async (t) => {
  const identity = denseLayer(2, 2, Float64Array.from([1, 0, 0, 1]), new Float64Array(2));
  const a = Float64Array.from([0, 0]), b = Float64Array.from([3, 3]);
  const at = (w: number) => predictCrossings([identity], { c: Float64Array.from([1, w]), lambda: new Float64Array(0), bias: -1 }, a, b, 64, true);
  const [w0, w1, wm1, whalf] = [at(0), at(1), at(-1), at(0.5)];
  t.equal(w0.length, 1, 'w = 0: one crossing');
  t.ok(Math.abs(w0[0].point[0] - 1) < 1e-15 && Math.abs(w0[0].point[1] - 1) < 1e-15, `w = 0 at (1, 1): ${Array.from(w0[0].point)}`);
  t.same(Array.from(w0[0].normal), [1, 0], 'w = 0: normal e1');
  t.ok(Math.abs(w1[0].point[0] - 0.5) < 1e-15, `w = 1 at (0.5, 0.5): ${Array.from(w1[0].point)}`);
  t.ok(Math.abs(w1[0].normal[0] - Math.SQRT1_2) < 1e-15 && Math.abs(w1[0].normal[1] - Math.SQRT1_2) < 1e-15, 'w = 1: normal (1, 1)/sqrt 2');
  t.equal(wm1.length, 0, 'w = -1: the value is -1 all along');
  t.ok(Math.abs(whalf[0].point[0] - 2 / 3) < 1e-15, `w = 0.5 at (2/3, 2/3): ${Array.from(whalf[0].point)}`);
});

const randomLayer = (rng: ReturnType<typeof createRng>, n: number, m: number): DenseLayer =>
  denseLayer(n, m, Float64Array.from(rng.gaussianArray(n * m)), Float64Array.from(rng.gaussianArray(m).map((v) => 0.3 * v)));

t.test('predictCrossingsForWeights - each weight\'s crossings as predictCrossings finds them alone, bit for bit', async (t) => {
  const rng = createRng(11);
  const known = [randomLayer(rng, 10, 13), randomLayer(rng, 13, 15)];
  // Positive weights and a negative bias: off near the origin, on farther out, so chords cross it.
  const row = Float64Array.from(rng.gaussianArray(15).map(Math.abs)), bias = -3;
  const weights = [0, -0.3, 0.3, -1, 1], column = 6;
  let crossings = 0, differing = 0;
  for (let s = 0; s < 40; s++) {
    const a = Float64Array.from(rng.gaussianArray(10).map((v) => 0.5 * v)), b = Float64Array.from(rng.gaussianArray(10).map((v) => 0.5 * v));
    const all = predictCrossingsForWeights(known, { c: row, bias }, column, weights, a, b, 64);
    const counts = new Set<number>();
    weights.forEach((w, q) => {
      const c = Float64Array.from(row);
      c[column] = w;
      const alone = predictCrossings(known, { c, lambda: new Float64Array(0), bias }, a, b, 64, true);
      crossings += alone.length;
      counts.add(alone.length);
      t.same(all[q].map((p) => [Array.from(p.point), Array.from(p.normal)]), alone.map((p) => [Array.from(p.point), Array.from(p.normal)]), `chord ${s}, weight ${w}`);
    });
    if (counts.size > 1) differing++;
  }
  t.ok(crossings > 40, `the chords cross the boundaries (${crossings} crossings)`);
  t.ok(differing > 0, `the weight changes where some chords cross (${differing} chords)`);
});

t.test('knownForwardPass - localValues\' numbers, bit for bit, for widths not a multiple of 4', async (t) => {
  const rng = createRng(5);
  const known = [randomLayer(rng, 6, 7), randomLayer(rng, 7, 13), randomLayer(rng, 13, 2)];
  const pass = knownForwardPass(known);
  let same = true;
  for (let s = 0; s < 200; s++) {
    const x = Float64Array.from(rng.gaussianArray(6));
    pass.run(x);
    const ref = localValues(known, x);
    for (let l = 0; l < known.length; l++) {
      for (let j = 0; j < known[l].outDim; j++) {
        if (!Object.is(pass.zetas[l][j], ref.zetas[l][j]) || !Object.is(pass.activations[l][j], ref.activations[l][j])) same = false;
      }
    }
  }
  t.ok(same, 'every pre-activation and activation equal');
  t.ok(pass.zetas[1].some((v) => v > 0) && pass.zetas[1].some((v) => v < 0), 'some neurons on and some off');
});

t.test('candidateValueFunction - candidateValue\'s value, bit for bit, signed and not', async (t) => {
  const rng = createRng(9);
  const known = [randomLayer(rng, 6, 9), randomLayer(rng, 9, 11)];
  const cand = { c: Float64Array.from(rng.gaussianArray(11)), lambda: Float64Array.from(rng.gaussianArray(9)), bias: -0.4 };
  cand.c[3] = 0;
  for (const signed of [false, true]) {
    const f = candidateValueFunction(known, cand, signed);
    let same = 0, positive = 0;
    for (let s = 0; s < 200; s++) {
      const x = Float64Array.from(rng.gaussianArray(6));
      const v = f(x);
      if (Object.is(v, candidateValue(known, cand, x, signed).value)) same++;
      if (v > 0) positive++;
    }
    t.equal(same, 200, `signed ${signed}: every value equal`);
    t.ok(positive > 20 && positive < 180, `signed ${signed}: both signs met (${positive} of 200 positive)`);
  }
});
