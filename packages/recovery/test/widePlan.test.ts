import t from 'tap';
import { Probe } from '@relurec/geometry';
import { denseLayer, forward, generateNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { farTest } from '../src/layer1/farTest.js';
import { likelySameNeuron } from '../src/deeper/findDeeperLayer.js';
import { seedClusters } from '../src/plan/seedClusters.js';
import { makeTolerances, predictCrossings, recoverNetwork, testMembership } from '../src/index.js';

// Issue 5: a plan width for latency-bound black boxes, and fewer round trips inside tasks.

/** A net's layer 1 in canonical form (unit rows) and each layer-2 neuron as a candidate over it, with seeds on its boundary. */
function layerTwoSeeds(architecture: number[], netSeed: number, perNeuron: number, tries = 60) {
  const truth = generateNetwork({ architecture, seed: netSeed, init: 'rk' });
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
  const cands = Array.from({ length: l2.outDim }, (_, z) => ({ c: Float64Array.from({ length: n1 }, (_, j) => l2.weights[z * n1 + j] * norms[j]), lambda: new Float64Array(n0), bias: l2.biases[z], points: [] as Float64Array[] }));
  const seeds: { z: number; point: Float64Array; normal: Float64Array }[] = [];
  cands.forEach((cand, z) => {
    for (let s = 0; s < tries && seeds.filter((sd) => sd.z === z).length < perNeuron; s++) {
      for (const c of predictCrossings(known, cand, rng.gaussianArray(n0), rng.gaussianArray(n0)).slice(0, 1)) seeds.push({ z, ...c });
    }
  });
  return { truth, known, cands, seeds };
}

/** likelySameNeuron over every pair of seeds: pairs on one boundary (recognised) and on two (confused). */
function pairHints(known: ReturnType<typeof layerTwoSeeds>['known'], seeds: ReturnType<typeof layerTwoSeeds>['seeds']) {
  let same = 0, sameFound = 0, other = 0, confused = 0;
  for (let a = 0; a < seeds.length; a++) {
    for (let b = a + 1; b < seeds.length; b++) {
      const hint = likelySameNeuron(known, seeds[a], seeds[b]);
      if (seeds[a].z === seeds[b].z) { same++; if (hint) sameFound++; } else { other++; if (hint) confused++; }
    }
  }
  return { same, sameFound, other, confused };
}

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
  const { seeds, known } = layerTwoSeeds([10, 12, 6, 1], 3, 6, 40);
  const { same, sameFound, other, confused } = pairHints(known, seeds);
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

t.test('likelySameNeuron - layer 1 narrower than the input: seeds sharing fewer than two active neurons are not taken for one', async (t) => {
  // 16 inputs, 8 layer-1 neurons: every normal lies in an 8-dimensional row space, so seeds on
  // different sides of most layer-1 boundaries look dependent whatever their neurons (before the
  // check: 40-20-10-1 rk 1 put 173 of its 195 seeds in one cluster).
  const { seeds, known } = layerTwoSeeds([16, 8, 6, 1], 2, 10);
  const { same, sameFound, other, confused } = pairHints(known, seeds);
  t.ok(same > 100 && other > 1000, `${same} pairs on one boundary, ${other} on two`);
  t.equal(confused, 0, 'no pair of two neurons is taken for one');
  t.ok(sameFound > same / 4, `${sameFound} of ${same} pairs on one boundary recognised`);
});

t.test('seedClusters - pairs joined transitively: one cluster per neuron, never two neurons in one', async (t) => {
  const { seeds, known } = layerTwoSeeds([10, 12, 6, 1], 3, 8);
  const cluster = seedClusters(known, seeds);
  t.equal(cluster.length, seeds.length, 'one cluster number per seed');
  cluster.forEach((c, i) => t.ok(c <= i && cluster[c] === c, `seed ${i}: numbered by the first seed of its cluster`));
  const mixed = [...new Set(cluster)].filter((c) => new Set(seeds.filter((_, i) => cluster[i] === c).map((sd) => sd.z)).size > 1);
  t.same(mixed, [], 'no cluster holds seeds of two neurons');
  // Expected from the pairs alone (the test above: about a third of same-neuron pairs recognised):
  // transitivity joins each neuron's 8 seeds into one cluster here.
  t.equal(new Set(cluster).size, 6, '6 clusters for 6 neurons');
  t.same(seedClusters([...known, known[0]], seeds.slice(0, 5)), [0, 1, 2, 3, 4], 'deeper layers: every seed alone');
});

t.test('testMembership - batch asks up to four kink tests per round trip, with the verdict of one test at a time', async (t) => {
  const { truth, known, cands } = layerTwoSeeds([10, 12, 6, 1], 3, 1);
  const n0 = 10;
  // Tolerances at the net's output scale (max |f| over a few inputs, as the survey measures it).
  const xs = createRng(5).gaussianArray(8 * n0);
  const tol = makeTolerances(Math.max(...Array.from(forward(truth, xs, 8), Math.abs)), 1);
  const verdicts: string[] = [];
  for (const [z, cand] of cands.slice(0, 3).entries()) {
    // Boundary points for the candidate (the test measures distance from the trace): a few predictions.
    const rng = createRng(10 + z);
    const pts = predictCrossings(known, cand, rng.gaussianArray(n0), rng.gaussianArray(n0)).map((c) => c.point).slice(0, 2);
    const runWith = async (batch: number) => {
      let rounds = 0;
      const probe = new Probe(async (x, rows) => { rounds++; return forward(truth, x, rows); }, { inputDim: n0, outputDim: 1 });
      const r = await testMembership({ probe, tol, rng: createRng(20 + z), log: () => {} }, known, { ...cand, points: pts }, { batch });
      return { r, rounds, queries: probe.spent };
    };
    const one = await runWith(1), four = await runWith(4);
    t.same(four.r, one.r, `neuron ${z}: the same verdict, hits, misses and worst offset`);
    verdicts.push(one.r.verdict);
    if (one.r.misses === 0) {
      t.equal(one.rounds, 2 * one.r.hits, `neuron ${z}: one at a time, two round trips per hit`);
      t.equal(four.rounds, Math.ceil(one.r.hits / 4), `neuron ${z}: batched, one round trip per four hits`);
      t.equal(four.queries, one.queries, `neuron ${z}: the same queries (every test hit)`);
    } else {
      t.ok(four.rounds < one.rounds, `neuron ${z}: batched ${four.rounds} round trips, one at a time ${one.rounds}`);
      t.ok(four.queries >= one.queries, `neuron ${z}: batched ${four.queries} queries, one at a time ${one.queries} (tests past the verdict are paid)`);
    }
  }
  // Seen on this net: neuron 0's predicted boundary is missed three times, 1 and 2 hit four times.
  t.same(verdicts, ['impostor', 'member', 'member'], 'both paths are exercised');
});
