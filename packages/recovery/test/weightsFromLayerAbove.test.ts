import t from 'tap';
import { denseLayer, generateNetwork, type DenseLayer } from '@relurec/network';
import { createRng } from '@relurec/random';
import { predictCrossings } from '../src/index.js';
import { weightsFromLayerAbove } from '../src/deeper/weightsFromLayerAbove.js';

// A generated 6-10-10-8-1 network is the truth. Layer-2 neuron z's weights from three layer-1
// neurons are moved by ~1e-7 (as a sign stack's row leaves them); the exact boundary points of
// every layer-3 neuron (bisection on the true layers, no black box) must give the moves back.
const net = generateNetwork({ architecture: [6, 10, 10, 8, 1], seed: 4, init: 'rk' });
const [l1, l2, l3] = net.layers;
const rng = createRng(9);

function layer3Points(perRow: number): Float64Array[][] {
  return Array.from({ length: l3.outDim }, (_, y) => {
    const cand = { c: l3.weights.slice(y * l3.inDim, (y + 1) * l3.inDim), lambda: new Float64Array(0), bias: l3.biases[y] };
    const out: Float64Array[] = [];
    for (let s = 0; s < 4000 && out.length < perRow; s++) {
      const a = rng.gaussianArray(6).map((v) => 2 * v), b = rng.gaussianArray(6).map((v) => 2 * v);
      for (const p of predictCrossings([l1, l2], cand, a, b, 64, true)) out.push(p.point);
    }
    return out;
  });
}

function moved(layer: DenseLayer, z: number, inputs: number[], by: number[]): DenseLayer {
  const W = Float64Array.from(layer.weights);
  inputs.forEach((i, k) => (W[z * layer.inDim + i] += by[k]));
  return denseLayer(layer.inDim, layer.outDim, W, layer.biases);
}

const points = layer3Points(60);
const z = 3, inputs = [1, 4, 7], by = [2e-7, -1.5e-7, 8e-8];

t.test('weightsFromLayerAbove - moved weights of a layer-2 neuron come back from the layer-3 points', async (t) => {
  // Layer-3 neuron 6 has no boundary within the chords (none): rows without points give nothing.
  t.ok(points.filter((p) => p.length >= 30).length >= 6, `layer-3 points per neuron: ${points.map((p) => p.length).join(', ')}`);
  const est = weightsFromLayerAbove([l1, moved(l2, z, inputs, by)], z, inputs, points);
  t.ok(est, 'an estimate');
  t.ok(est!.rows >= 2, `${est!.rows} layer-3 rows see the inputs with z on`);
  for (let k = 0; k < inputs.length; k++) {
    const err = Math.abs(est!.delta[k] + by[k]);
    t.ok(err < 1e-12, `weight from ${inputs[k]}: correction ${est!.delta[k].toExponential(4)} vs ${(-by[k]).toExponential(4)} (error ${err.toExponential(1)})`);
  }
  t.ok(est!.worst < 10, `rows agree within their errors (worst ${est!.worst.toFixed(2)})`);
});

t.test('weightsFromLayerAbove - the true weights give a correction of ~0', async (t) => {
  const est = weightsFromLayerAbove([l1, l2], z, inputs, points);
  t.ok(est, 'an estimate');
  for (let k = 0; k < inputs.length; k++) t.ok(Math.abs(est!.delta[k]) < 1e-12, `correction ${est!.delta[k].toExponential(1)}`);
});

t.test('weightsFromLayerAbove - no layer-3 point where the input is active with z on: no estimate', async (t) => {
  // Layer-1 neuron 0 made dead on every point (bias -50): its weight into z acts nowhere.
  const b1 = Float64Array.from(l1.biases);
  b1[0] = -50;
  const dead = denseLayer(l1.inDim, l1.outDim, l1.weights, b1);
  t.equal(weightsFromLayerAbove([dead, l2], z, [0], points), undefined);
});
