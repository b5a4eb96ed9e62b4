import t from 'tap';
import { denseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { localValues } from '../src/known/localState.js';
import { predictCrossings } from '../src/index.js';
import { unseenWeightFromKinks } from '../src/deeper/unseenWeightFromKinks.js';

// Layer 1: six neurons in R^4. Layer 2, neuron 0: a row whose weight from layer-1 neuron 2 its
// boundary never showed (recovered as 0); neuron 1: another row. Kinks on both boundaries.
const n0 = 4, n1 = 6;
const rng = createRng(5);
const l1 = denseLayer(n0, n1, Float64Array.from(rng.gaussianArray(n0 * n1)), Float64Array.from(rng.gaussianArray(n1).map((v) => 0.3 * v)));
const truth = Float64Array.of(0.5, -0.4, 0.7, 0.3, -0.6, 0.2), other = Float64Array.of(-0.3, 0.6, 0.1, -0.5, 0.4, 0.4);
const bias = 0.1, otherBias = -0.2;
const recoveredRow = Float64Array.from(truth, (v, i) => (i === 2 ? 0 : v));
const layer = denseLayer(n1, 2, Float64Array.from([...recoveredRow, ...other]), Float64Array.of(bias, otherBias));
const crossings = (row: Float64Array, b: number, count: number) => {
  const pts: Float64Array[] = [];
  for (let s = 0; s < 400 && pts.length < count; s++) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v), c = rng.gaussianArray(n0).map((v) => 2 * v);
    for (const p of predictCrossings([l1], { c: row, lambda: new Float64Array(0), bias: b }, a, c, 64, true)) pts.push(p.point);
  }
  return pts.slice(0, count);
};
const h2 = (p: Float64Array) => localValues([l1], p).activations[0][2];
const own = crossings(truth, bias, 60), others = crossings(other, otherBias, 60);
const acting = own.filter((p) => h2(p) > 0);

t.test('unseenWeightFromKinks - the weight from the kinks of its neuron where the input acts', async (t) => {
  t.ok(acting.length >= 2 && acting.length < own.length, `${acting.length} of ${own.length} kinks with the input active`);
  const fit = unseenWeightFromKinks([l1], layer, 0, [2], [...others, ...own]);
  t.ok(fit, 'found');
  t.equal(fit!.input, 2);
  t.ok(Math.abs(fit!.weight - truth[2]) < 1e-12, `weight ${fit!.weight} (true ${truth[2]})`);
  t.equal(fit!.points.length, acting.length, 'every kink of the neuron where the input acts, none of the other\'s');
});

t.test('unseenWeightFromKinks - kinks of other neurons agree on nothing', async (t) => {
  const wrong = unseenWeightFromKinks([l1], layer, 0, [2], others);
  t.equal(wrong, undefined, 'none (two of them lie in a region where neuron 2 is the only active input, at one level of it)');
  t.equal(unseenWeightFromKinks([l1], layer, 0, [2], [...others, acting[0]]), undefined, 'one kink of the neuron is not enough');
});
