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

t.test('unseenWeightFromKinks - kinks on one ray of the layer-below values agree on any weight', async (t) => {
  // Zero biases: every state is a cone, and a boundary through the origin holds p and 2p alike.
  const cone = denseLayer(n0, n1, l1.weights, new Float64Array(n1));
  const top = denseLayer(n1, 2, layer.weights, new Float64Array(2));
  const onOther = (a: Float64Array, c: Float64Array) => predictCrossings([cone], { c: other, lambda: new Float64Array(0), bias: 0 }, a, c, 64, true).map((p) => p.point);
  let ray: Float64Array[] = [];
  for (let s = 0; s < 400 && ray.length === 0; s++) {
    const a = Float64Array.from(rng.gaussianArray(n0)), c = Float64Array.from(rng.gaussianArray(n0));
    ray = onOther(a, c).filter((p) => localValues([cone], p).activations[0][2] > 0).slice(0, 1);
  }
  t.equal(ray.length, 1, 'a kink of the other neuron where input 2 acts');
  const p = ray[0], q = p.map((v) => 2 * v);
  const hp = localValues([cone], p).activations[0], hq = localValues([cone], q).activations[0];
  t.ok(Math.abs(hq[2] - 2 * hp[2]) < 1e-12, 'the second kink is the first one scaled: two levels of h_2');
  const v = (h: Float64Array) => -other.reduce((s, w, d) => s + (d === 2 ? 0 : recoveredRow[d] * h[d]), 0) / h[2];
  t.ok(Math.abs(v(hp) - v(hq)) < 1e-12, 'their values agree');
  t.ok(Math.abs(v(hp) - truth[2]) > 1e-3, 'on a wrong weight');
  t.equal(unseenWeightFromKinks([cone], top, 0, [2], [p, q]), undefined, 'and are not taken for the weight');
});

t.test('unseenWeightFromKinks - two kinks close together on another boundary agree by closeness', async (t) => {
  const p = others.find((q) => h2(q) > 0)!;
  t.ok(p, 'a kink of the other neuron where input 2 acts');
  // A step of 5e-6 along the other boundary (inside p's linear region): zeta' = other . h stays 0.
  const act = localValues([l1], p).activations[0];
  const normal = new Float64Array(n0);
  for (let j = 0; j < n1; j++) if (act[j] > 0) for (let d = 0; d < n0; d++) normal[d] += other[j] * l1.weights[j * n0 + d];
  const dir = Float64Array.of(1, -2, 0.5, 1.5), nn = normal.reduce((s, v) => s + v * v, 0), dn = dir.reduce((s, v, d) => s + v * normal[d], 0);
  const q = p.map((v, d) => v + 5e-6 * (dir[d] - (dn / nn) * normal[d]));
  t.ok(Math.abs(h2(p) - h2(q)) > 1e-6 * Math.max(h2(p), h2(q)), `two levels of h_2 (${h2(p)}, ${h2(q)})`);
  const value = (x: Float64Array) => {
    const h = localValues([l1], x).activations[0];
    return -(bias + recoveredRow.reduce((s, w, d) => s + (d === 2 ? 0 : w * h[d]), 0)) / h[2];
  };
  t.ok(Math.abs(value(p) - value(q)) < 1e-6 && Math.abs(value(p) - truth[2]) > 1e-3, `values ${value(p)}, ${value(q)}: agree, wrong`);
  t.equal(unseenWeightFromKinks([l1], layer, 0, [2], [p, q]), undefined, 'not taken for the weight');
});
