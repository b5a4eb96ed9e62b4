import t from 'tap';
import { Probe } from '@relurec/geometry';
import { denseLayer, forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { farTest } from '../src/layer1/farTest.js';
import { likelySameNeuron } from '../src/deeper/findDeeperLayer.js';
import { makeTolerances, predictCrossings, recoverNetwork } from '../src/index.js';

// Issue 5: a plan width for latency-bound black boxes, and fewer round trips inside tasks.

t.test('farTest - eager asks all four points in one round trip and finds the same point', async (t) => {
  const net = generateNetwork({ architecture: [4, 3, 1], seed: 7, init: 'rk' });
  const l1 = net.layers[0];
  const w = l1.weights.subarray(0, 4), nw = Math.hypot(...w);
  const n = w.map((v) => v / nw);
  // A point of neuron 0's boundary: x = -b n / |w|.
  const q = n.map((v) => (-l1.biases[0] / nw) * v);
  const tol = makeTolerances(1, 1);
  const rounds = { lazy: 0, eager: 0 };
  const probe = (k: 'lazy' | 'eager') => new Probe(async (x, rows) => { rounds[k]++; return forward(net, x, rows); }, { inputDim: 4, outputDim: 1 });
  const lazy = await farTest(probe('lazy'), q, n, tol);
  const eager = await farTest(probe('eager'), q, n, tol, { eager: true });
  t.ok(lazy.point, 'the boundary is found');
  t.same(eager, lazy, 'the same point and offset');
  t.equal(rounds.lazy, 2, 'lazy: two round trips');
  t.equal(rounds.eager, 1, 'eager: one round trip');
});

t.test('likelySameNeuron - seeds on one layer-2 boundary are recognised, seeds of two never confused', async (t) => {
  const truth = generateNetwork({ architecture: [10, 12, 6, 1], seed: 3, init: 'rk' });
  const [l1, l2] = truth.layers;
  const n0 = l1.inDim, n1 = l1.outDim;
  const W = new Float64Array(l1.weights.length), B = new Float64Array(n1), norms = new Float64Array(n1);
  for (let j = 0; j < n1; j++) {
    norms[j] = Math.hypot(...l1.weights.subarray(j * n0, (j + 1) * n0));
    for (let i = 0; i < n0; i++) W[j * n0 + i] = l1.weights[j * n0 + i] / norms[j];
    B[j] = l1.biases[j] / norms[j];
  }
  const known = [denseLayer(n0, n1, W, B)];
  const rng = createRng(4);
  const seeds: { z: number; point: Float64Array; normal: Float64Array }[] = [];
  for (let z = 0; z < l2.outDim; z++) {
    const cand = { c: Float64Array.from({ length: n1 }, (_, j) => l2.weights[z * n1 + j] * norms[j]), lambda: new Float64Array(n0), bias: l2.biases[z] };
    for (let s = 0; s < 40 && seeds.filter((sd) => sd.z === z).length < 6; s++) {
      for (const c of predictCrossings(known, cand, rng.gaussianArray(n0), rng.gaussianArray(n0)).slice(0, 1)) seeds.push({ z, ...c });
    }
  }
  let same = 0, sameFound = 0, other = 0, confused = 0;
  for (let a = 0; a < seeds.length; a++) {
    for (let b = a + 1; b < seeds.length; b++) {
      const hint = likelySameNeuron(known, seeds[a], seeds[b]);
      if (seeds[a].z === seeds[b].z) { same++; if (hint) sameFound++; } else { other++; if (hint) confused++; }
    }
  }
  t.ok(same > 20 && other > 100, `${same} pairs on one boundary, ${other} on two`);
  t.equal(confused, 0, 'no pair of two neurons is taken for one');
  t.ok(sameFound > same / 3, `${sameFound} of ${same} pairs on one boundary recognised (the others differ on too many layer-1 states to tell)`);
  t.notOk(likelySameNeuron([...known, known[0]], seeds[0], seeds[1]), 'deeper layers: no hint');
});

t.test('recoverNetwork - a wide plan (planWidth 4) recovers a two-hidden-layer net, with a setting check', async (t) => {
  const net = generateNetwork({ architecture: [6, 8, 6, 1], seed: 2 });
  const query = async (x: Float64Array, rows: number) => forward(net, x, rows);
  const wide = await recoverNetwork(query, { inputDim: 6, outputDim: 1 }, { seed: 5, planWidth: 4 });
  t.ok(wide.complete, 'complete');
  t.same(wide.architecture, [6, 8, 6, 1]);
  await t.rejects(recoverNetwork(query, { inputDim: 6, outputDim: 1 }, { seed: 5, planWidth: 0 }), RangeError);
});
