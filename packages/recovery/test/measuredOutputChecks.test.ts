import t from 'tap';
import { Probe } from '@relurec/geometry';
import { hypot } from '@relurec/linalg';
import { denseLayer, forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { findFirstLayer, firstLayerSigns, flipsResidual, makeTolerances } from '../src/index.js';
import { outputLayerResidual } from '../src/output/fitOutputLayer.js';

// Checks of a one-hidden-layer model whose signs and output layer were measured (the wide-input
// refinement) rather than solved from the samples: they must tell a right model from a wrong one.

async function layerOne(net: ReluNetwork) {
  const [n0, , m] = [net.layers[0].inDim, 0, net.layers[1].outDim];
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: n0, outputDim: m });
  return findFirstLayer({ probe, tol: makeTolerances(1, 1), rng: createRng(3), log: () => {} });
}

/** Per plane: 1 where its orientation is opposite to the true neuron's row (the truth, for scoring). */
function trueFlips(net: ReluNetwork, normals: Float64Array[]): Uint8Array {
  const n0 = net.layers[0].inDim, W = net.layers[0].weights;
  return Uint8Array.from(normals, (nv) => {
    let best = 0;
    for (let j = 0; j < net.layers[0].outDim; j++) {
      let c = 0;
      for (let i = 0; i < n0; i++) c += W[j * n0 + i] * nv[i];
      c /= hypot(W.subarray(j * n0, (j + 1) * n0));
      if (Math.abs(c) > Math.abs(best)) best = c;
    }
    return best < 0 ? 1 : 0;
  });
}

t.test('flipsResidual - the true signs check out, one wrong sign does not', async (t) => {
  const net = generateNetwork({ architecture: [12, 8, 1], seed: 4, init: 'rk' });
  const l1 = await layerOne(net);
  t.equal(l1.planes.length, 8, 'layer 1 complete');
  const flips = trueFlips(net, l1.planes.map((p) => p.normal));
  t.same(Array.from(firstLayerSigns(l1.planes, l1.regions, 1).flips), Array.from(flips), 'the linear method agrees with the truth');
  const right = flipsResidual(l1.planes, l1.regions, 1, flips);
  t.ok(right < 1e-9, `true signs: relative residual ${right.toExponential(2)}`);
  for (let j = 0; j < 8; j++) {
    const wrong = Uint8Array.from(flips);
    wrong[j] ^= 1;
    const r = flipsResidual(l1.planes, l1.regions, 1, wrong);
    t.ok(r > 1e-3, `sign of plane ${j + 1} wrong: relative residual ${r.toExponential(2)}`);
  }
});

t.test('outputLayerResidual - zero for the true output layer, the bias error for a shifted one', async (t) => {
  const net = generateNetwork({ architecture: [5, 6, 2], seed: 2, init: 'rk' });
  const rng = createRng(9);
  const xs = Array.from({ length: 40 }, () => rng.gaussianArray(5));
  const X = new Float64Array(40 * 5);
  xs.forEach((x, r) => X.set(x, r * 5));
  const Y = forward(net, X, 40);
  const ys = xs.map((_, r) => Y.subarray(r * 2, r * 2 + 2));
  const hidden = [net.layers[0]], out = net.layers[1];
  t.same(outputLayerResidual(hidden, out, xs, ys), { relativeResidual: 0, rmsResidual: 0 }, 'the true layer reproduces its own outputs bit for bit');
  const scale = Math.max(...Array.from(Y, Math.abs));
  const shifted = denseLayer(6, 2, out.weights, Float64Array.from(out.biases, (b, o) => (o === 1 ? b + 1e-3 : b)));
  const r = outputLayerResidual(hidden, shifted, xs, ys);
  t.ok(Math.abs(r.relativeResidual - 1e-3 / scale) < 1e-12, `bias of output 2 off by 1e-3: relative residual ${r.relativeResidual.toExponential(4)} = 1e-3 / max |y|`);
  t.ok(Math.abs(r.rmsResidual - Math.sqrt(0.5) * 1e-3 / scale) < 1e-12, 'rms over both outputs: sqrt(1/2) x 1e-3 / max |y|');
});

t.test('hypot - Math.hypot bit for bit, without spreading the array', async (t) => {
  const rng = createRng(5);
  for (const n of [1, 3, 784]) {
    const v = rng.gaussianArray(n).map((x) => x * 1e150);
    t.equal(hypot(v), Math.hypot(...v), `n = ${n}, entries ~1e150 (no overflow)`);
  }
  t.equal(hypot(new Float64Array(0)), 0);
});
