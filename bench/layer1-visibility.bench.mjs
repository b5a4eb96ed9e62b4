// Layer-1 completeness when a boundary is visible on only part of the domain, and layer-1 impostors
// in low dimensions: the known failure cases of the layer-1 membership test, kept as a benchmark.
//
// Run from the repo root after building:  node bench/layer1-visibility.bench.mjs
// Part 1: generated 6-8-6-1 nets (rk) in which layer-1 neuron 0 feeds only layer-2 neuron 0; the row
// says on what share of N(0, I) that neuron is active and whether neuron 0's plane was found.
// Part 2: a hand-made 2-input net whose layer-2 boundary is straight over half the plane.
import { generateNetwork, forward, preActivations, parseNetwork } from '../packages/network/dist/index.js';
import { findFirstLayer, makeTolerances } from '../packages/recovery/dist/index.js';
import { Probe } from '../packages/geometry/dist/index.js';
import { createRng } from '../packages/random/dist/index.js';

const run = (net) => {
  const n0 = net.layers[0].inDim;
  const probe = new Probe(async (x, r) => forward(net, x, r), { inputDim: n0, outputDim: 1 });
  return findFirstLayer({ probe, tol: makeTolerances(1, 1), rng: createRng(11), log: () => {} }).then((res) => ({ res, queries: probe.spent }));
};
const matches = (plane, row) => {
  const nr = Math.hypot(...row);
  return Math.abs(Math.abs(plane.normal.reduce((s, v, i) => s + v * row[i], 0) / nr) - 1) < 1e-12;
};

console.log('| seed | layer-2 neuron 0 active | planes found | true planes found | neuron 0 found |');
console.log('|---:|---:|---:|---:|---|');
for (let seed = 1; seed <= 6; seed++) {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed });
  const V = net.layers[1].weights;
  for (let k = 1; k < 6; k++) V[k * 8] = 0;
  const rng = createRng(3), n = 4000, x = rng.gaussianArray(n * 6), z = preActivations(net, x, n)[1];
  let active = 0;
  for (let r = 0; r < n; r++) if (z[r * 6] > 0) active++;
  const { res } = await run(net);
  const W = net.layers[0].weights;
  const found = [...Array(8).keys()].filter((j) => res.planes.some((p) => matches(p, W.subarray(j * 6, j * 6 + 6))));
  console.log(`| ${seed} | ${(100 * active / n).toFixed(0)}% | ${res.planes.length} | ${found.length} of 8 | ${found.includes(0) ? 'yes' : 'no'} |`);
}

const flat = parseNetwork({
  format: 'relu-net', version: 1,
  layers: [
    { weights: [[1, 0], [0, 1], [0.6, -0.8]], biases: [0, 0, 0.2] },
    { weights: [[0, 0, 1], [1, 1, 0]], biases: [0.1, -0.5] },
    { weights: [[1, 1]], biases: [0] },
  ],
});
const { res } = await run(flat);
console.log(`\n2-input net, 3 layer-1 neurons; layer-2 neuron ReLU(h1 + h2 - 0.5) is straight on x1 = 0.5 (x2 < 0) and x2 = 0.5 (x1 < 0): planes found ${res.planes.length}: ${res.planes.map((p) => `(${p.normal[0].toFixed(3)}, ${p.normal[1].toFixed(3)}; ${p.offset.toFixed(3)})`).join(' ')}`);
