import t from 'tap';
import {
  canonicalize,
  cloneNetwork,
  denseLayer,
  generateNetwork,
  type DenseLayer,
  type ReluNetwork,
} from '@relurec/network';
import { createRng } from '@relurec/random';
import { compareNetworks, randomEquivalentNetwork, CompareDefaults, type NetworkComparison } from '../src/index.js';

// Most tests use 5000 fidelity inputs: enough to see any functional difference of the constructed
// networks (each change below moves the output by O(0.1-1) on a good fraction of N(0, I)), and fast.
const fast = { fidelitySamples: 5000 };

/** Network surgery for the tests: layers rebuilt from the given weight/bias arrays. */
function network(layers: DenseLayer[], name = 'test'): ReluNetwork {
  return { name, meta: {}, layers };
}

function copyLayer(layer: DenseLayer): DenseLayer {
  return denseLayer(layer.inDim, layer.outDim, layer.weights.slice(), layer.biases.slice());
}

/** Drops neuron k of hidden layer l (0-based layer index): its row and bias, and column k of layer l + 1. */
function removeNeuron(net: ReluNetwork, l: number, k: number): ReluNetwork {
  return network(
    net.layers.map((layer, i) => {
      const { inDim: n, outDim: m, weights: W, biases: b } = layer;
      if (i === l) {
        const w: number[] = [], bias: number[] = [];
        for (let r = 0; r < m; r++) if (r !== k) { w.push(...W.subarray(r * n, (r + 1) * n)); bias.push(b[r]); }
        return denseLayer(n, m - 1, Float64Array.from(w), Float64Array.from(bias));
      }
      if (i === l + 1) {
        const w: number[] = [];
        for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) if (c !== k) w.push(W[r * n + c]);
        return denseLayer(n - 1, m, Float64Array.from(w), b.slice());
      }
      return copyLayer(layer);
    }),
  );
}

/** Appends a neuron (row, bias) to hidden layer l with outgoing weights `column` in layer l + 1. */
function appendNeuron(net: ReluNetwork, l: number, row: Float64Array, bias: number, column: Float64Array): ReluNetwork {
  return network(
    net.layers.map((layer, i) => {
      const { inDim: n, outDim: m, weights: W, biases: b } = layer;
      if (i === l) {
        const w = new Float64Array((m + 1) * n);
        w.set(W);
        w.set(row, m * n);
        return denseLayer(n, m + 1, w, Float64Array.from([...b, bias]));
      }
      if (i === l + 1) {
        const w = new Float64Array(m * (n + 1));
        for (let r = 0; r < m; r++) {
          w.set(W.subarray(r * n, (r + 1) * n), r * (n + 1));
          w[r * (n + 1) + n] = column[r];
        }
        return denseLayer(n + 1, m, w, b.slice());
      }
      return copyLayer(layer);
    }),
  );
}

/** w, b -> -w, -b for neuron k of layer l; the outgoing column is kept. */
function flipNeuron(net: ReluNetwork, l: number, k: number): ReluNetwork {
  const out = cloneNetwork(net);
  const { inDim: n, weights, biases } = out.layers[l];
  for (let j = 0; j < n; j++) weights[k * n + j] = -weights[k * n + j];
  biases[k] = -biases[k];
  return out;
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function row(layer: DenseLayer, i: number): Float64Array {
  return layer.weights.subarray(i * layer.inDim, (i + 1) * layer.inDim);
}

/**
 * Adds delta to weight (i, k) of a canonical hidden row and changes the row's largest-magnitude
 * entry m so that the row keeps unit norm: only then is "a weight off by delta" the same statement in
 * canonical units. k is the smallest-magnitude entry, so entry m moves by about delta |w_k| / |w_m| < delta.
 */
function perturbKeepingNorm(net: ReluNetwork, l: number, i: number, delta: number): ReluNetwork {
  const out = cloneNetwork(net);
  const r = row(out.layers[l], i);
  let k = 0, m = 0;
  for (let j = 0; j < r.length; j++) {
    if (Math.abs(r[j]) < Math.abs(r[k])) k = j;
    if (Math.abs(r[j]) > Math.abs(r[m])) m = j;
  }
  const before = r[k];
  r[k] += delta;
  r[m] = Math.sign(r[m]) * Math.sqrt(r[m] * r[m] + before * before - r[k] * r[k]);
  return out;
}

function layerErrors(report: NetworkComparison): number[] {
  return report.layers.map((l) => l.maxError);
}

t.test('compare - permuted and rescaled copies match exactly (10-20-20-1, 30-40-20-10)', async (t) => {
  for (const arch of [[10, 20, 20, 1], [30, 40, 20, 10]]) {
    const truth = generateNetwork({ architecture: arch, seed: 11 });
    const copy = randomEquivalentNetwork(truth, { seed: 12, minScale: 0.1, maxScale: 10 });
    const report = compareNetworks(truth, copy.network, { fidelitySamples: 20_000 });
    t.ok(report.architectureMatch, `${arch.join('-')} architecture matches`);
    t.ok(report.complete);
    t.same(report.truthArchitecture, arch);
    t.same(report.recoveredArchitecture, arch);
    // Only rounding separates the two canonical forms: a few ulps of weights of magnitude <= ~4.
    t.ok(report.bits >= 50, `${arch.join('-')} bits ${report.bits}`);
    t.ok(report.fidelity !== null && report.fidelity.relativeError < 1e-12, `relative error ${report.fidelity?.relativeError}`);
    t.equal(report.fidelity?.samples, 20_000);
    // The matching found is the permutation applied.
    for (let l = 0; l < arch.length - 2; l++) {
      t.same(report.layers[l].pairs.map((p) => p.recovered), Array.from(copy.permutations[l]), `layer ${l + 1} pairs`);
      t.same([report.layers[l].matched, report.layers[l].missing, report.layers[l].extra], [arch[l + 1], 0, 0]);
    }
  }
});

t.test('compare - identical networks give maxError 0 and bits Infinity (default options)', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 4 });
  const report = compareNetworks(truth, cloneNetwork(truth));
  t.equal(report.maxError, 0);
  t.equal(report.bits, Infinity);
  t.ok(report.architectureMatch && report.complete);
  t.same(report.layers.map((l) => l.bits), [Infinity, Infinity, Infinity]);
  t.same(report.fidelity && [report.fidelity.samples, report.fidelity.maxAbsError, report.fidelity.relativeError], [100_000, 0, 0]);
  t.ok(report.fidelity!.maxAbsOutput > 0);
  t.same(report.options, { ...CompareDefaults, exactUnused: false }, 'the defaults, and no exact search without a solver');
});

t.test('compare - one canonical hidden weight off by 1e-6 is reported as 1e-6 in its layer', async (t) => {
  const delta = 1e-6;
  const truth = canonicalize(generateNetwork({ architecture: [10, 20, 20, 1], seed: 5 }));
  for (const l of [0, 1]) {
    const rec = perturbKeepingNorm(truth, l, 7, delta);
    const report = compareNetworks(truth, rec, fast);
    const layer = report.layers[l];
    // Expected from construction: entry k differs by delta (rounding of r_k + delta: <= 1e-16), the
    // compensating entry by less; renormalising a row of norm 1 +- 1e-16 adds ~1e-16.
    t.ok(Math.abs(report.maxError - delta) <= 1e-12, `layer ${l + 1}: maxError ${report.maxError}`);
    t.ok(Math.abs(layer.maxWeightError - delta) <= 1e-12);
    t.ok(layer.maxBiasError <= 1e-15);
    t.equal(layer.pairs.find((p) => p.truth === 7)?.recovered, 7);
    t.ok(Math.abs(layer.pairs[7].error - delta) <= 1e-12);
    t.ok(layer.pairs.filter((p) => p.truth !== 7).every((p) => p.error <= 1e-15), 'other neurons exact');
    report.layers.forEach((other, o) => {
      if (o !== l) t.ok(other.maxError <= 1e-14, `layer ${o + 1} untouched: ${other.maxError}`);
    });
    t.ok(report.complete);
    t.ok(report.fidelity!.maxAbsError > 0);
  }
});

t.test('compare - one output weight off by 1e-6 is reported as 1e-6 in the output layer', async (t) => {
  const truth = canonicalize(generateNetwork({ architecture: [30, 40, 20, 10], seed: 6 }));
  const rec = cloneNetwork(truth);
  rec.layers[2].weights[3 * 20 + 4] += 1e-6;
  const report = compareNetworks(truth, rec, fast);
  t.ok(Math.abs(report.maxError - 1e-6) <= 1e-12, `maxError ${report.maxError}`);
  t.ok(Math.abs(report.layers[2].maxWeightError - 1e-6) <= 1e-12);
  t.equal(report.layers[2].maxBiasError, 0);
  t.equal(report.layers[2].kind, 'output');
  t.same(layerErrors(report).slice(0, 2), [0, 0]);
});

t.test('compare - one canonical bias off by 1e-6 is reported as 1e-6 in its layer', async (t) => {
  const truth = canonicalize(generateNetwork({ architecture: [10, 20, 20, 1], seed: 7 }));
  for (const l of [0, 1, 2]) {
    const rec = cloneNetwork(truth);
    rec.layers[l].biases[0] += 1e-6;
    const report = compareNetworks(truth, rec, fast);
    // Biases are not rescaled by canonicalisation: the difference is delta up to the rounding of b + delta.
    t.ok(Math.abs(report.layers[l].maxBiasError - 1e-6) <= 1e-12, `layer ${l + 1}: ${report.layers[l].maxBiasError}`);
    t.ok(Math.abs(report.maxError - 1e-6) <= 1e-12);
    t.ok(report.layers[l].maxWeightError <= 1e-15);
    report.layers.forEach((other, o) => {
      if (o !== l) t.equal(other.maxError, 0, `layer ${o + 1} untouched`);
    });
  }
});

t.test('compare - an uncompensated hidden weight change shows its first-order canonical effect', async (t) => {
  // Row r (unit) of the last hidden layer gets r_k + delta. Re-canonicalising divides the row and bias
  // by nu = ||r + delta e_k|| = 1 + delta r_k + O(delta^2) and multiplies output column i by nu. Hand
  // computation to first order: weight errors delta (1 - r_k^2) at k and delta |r_k r_j| elsewhere,
  // bias error delta |r_k b_i|, output errors delta |r_k U_oi|. Tolerance 1e-11 covers O(delta^2).
  const delta = 1e-6, i = 3, k = 2;
  const truth = canonicalize(generateNetwork({ architecture: [10, 20, 15, 4], seed: 8 }));
  const rec = cloneNetwork(truth);
  rec.layers[1].weights[i * 20 + k] += delta;
  const report = compareNetworks(truth, rec, fast);
  const r = row(truth.layers[1], i), rk = r[k], b = truth.layers[1].biases[i];
  const others = Array.from(r).filter((_, j) => j !== k);
  const expectedWeight = Math.max(delta * (1 - rk * rk), delta * Math.abs(rk) * maxAbs(others));
  const U = truth.layers[2];
  const column = Array.from({ length: U.outDim }, (_, o) => U.weights[o * U.inDim + i]);
  t.ok(Math.abs(report.layers[1].maxWeightError - expectedWeight) <= 1e-11, `weight ${report.layers[1].maxWeightError} vs ${expectedWeight}`);
  t.ok(Math.abs(report.layers[1].maxBiasError - delta * Math.abs(rk * b)) <= 1e-11);
  t.ok(Math.abs(report.layers[2].maxWeightError - delta * Math.abs(rk) * maxAbs(column)) <= 1e-11);
  t.equal(report.layers[0].maxError, 0);
  t.ok(report.complete);
});

t.test('compare - a sign-flipped neuron is not matched; its error is its own size', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 9 });
  const canonical = canonicalize(truth);
  for (const l of [0, 1]) {
    const k = 5;
    const report = compareNetworks(truth, flipNeuron(truth, l, k), fast);
    const layer = report.layers[l];
    t.same([layer.matched, layer.missing, layer.extra, layer.signFlipped], [19, 1, 1, 1], `layer ${l + 1} counts`);
    t.equal(layer.rejected.length, 1);
    const [rej] = layer.rejected;
    t.same([rej.truth, rej.recovered, rej.signFlipped], [k, k, true]);
    // canonical(-w, -b) = -(canonical(w, b)) exactly, so the error is 2 max(|w_j|, |b|) of the canonical neuron.
    const expected = 2 * Math.max(maxAbs(row(canonical.layers[l], k)), Math.abs(canonical.layers[l].biases[k]));
    t.ok(Math.abs(rej.error - expected) <= 1e-15, `rejected error ${rej.error} vs ${expected}`);
    t.ok(rej.error > 0.2, 'as large as the weights');
    t.notOk(report.complete);
    t.ok(report.architectureMatch);
    // The rest is untouched: compared on the other neurons' columns, it matches exactly.
    t.ok(report.maxError <= 1e-15);
    t.ok(report.fidelity!.maxAbsError > 1e-3, `fidelity ${report.fidelity!.maxAbsError}`);
  }
});

t.test('compare - a neuron beyond matchTolerance is missing + extra, within it matched', async (t) => {
  const truth = canonicalize(generateNetwork({ architecture: [8, 12, 6, 2], seed: 10 }));
  const rec = cloneNetwork(truth);
  rec.layers[0].biases[4] += 0.02;
  const strict = compareNetworks(truth, rec, fast);
  t.same([strict.layers[0].matched, strict.layers[0].missing, strict.layers[0].extra, strict.layers[0].signFlipped], [11, 1, 1, 0]);
  t.same(strict.layers[0].rejected.map((p) => [p.truth, p.recovered]), [[4, 4]]);
  t.ok(Math.abs(strict.layers[0].rejected[0].error - 0.02) <= 1e-15);
  t.equal(strict.layers[1].matched, 6, 'next layer compared on the 11 matched columns');
  const loose = compareNetworks(truth, rec, { ...fast, matchTolerance: 0.05 });
  t.ok(loose.complete);
  t.ok(Math.abs(loose.maxError - 0.02) <= 1e-15);
});

t.test('compare - the matching maximises pairs within tolerance before minimising their cost', async (t) => {
  // 2 inputs, unit rows (cos th, sin th), tolerance 0.01. Costs (max abs difference, hand-computed;
  // the cos terms differ by < 1e-4): A-a 0, A-b 0.009 (sin), B-a 0.009 (bias), B-b 0.011 (sin).
  // The cheapest sum, A-a + B-b = 0.011, leaves B-b beyond tolerance: one pair. Two pairs are possible.
  const unitRow = (s: number) => [Math.sqrt(1 - s * s), s];
  const net = (rows: number[][], biases: number[]) =>
    network([denseLayer(2, 2, Float64Array.from(rows.flat()), Float64Array.from(biases)), denseLayer(2, 1, Float64Array.from([1, 1]), new Float64Array(1))]);
  const truth = net([unitRow(0), unitRow(-0.002)], [0, 0.009]);
  const rec = net([unitRow(0), unitRow(0.009)], [0, 0]);
  const report = compareNetworks(truth, rec, { ...fast, matchTolerance: 0.01 });
  t.same(report.layers[0].pairs.map((p) => [p.truth, p.recovered]), [[0, 1], [1, 0]]);
  t.same([report.layers[0].matched, report.layers[0].missing, report.layers[0].extra], [2, 0, 0]);
  t.ok(Math.abs(report.layers[0].maxError - 0.009) <= 1e-12, `maxError ${report.layers[0].maxError}`);
});

t.test('compare - a missing neuron is reported missing in its layer only', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 13 });
  // Removed from a permuted, rescaled copy: the judge must still align everything else.
  const copy = randomEquivalentNetwork(truth, { seed: 14 });
  const removedTrue = 6, removedAt = copy.permutations[0][removedTrue];
  const report = compareNetworks(truth, removeNeuron(copy.network, 0, removedAt), fast);
  t.notOk(report.architectureMatch);
  t.same(report.recoveredArchitecture, [10, 19, 20, 1]);
  t.same([report.layers[0].matched, report.layers[0].missing, report.layers[0].extra], [19, 1, 0]);
  t.notOk(report.layers[0].pairs.some((p) => p.truth === removedTrue));
  t.same([report.layers[1].matched, report.layers[1].missing, report.layers[1].extra], [20, 0, 0]);
  t.same([report.layers[2].matched, report.layers[2].missing, report.layers[2].extra], [1, 0, 0]);
  // Layer 2 is compared on the 19 shared columns, renormalised; only rounding remains.
  t.ok(report.bits >= 48, `bits ${report.bits}`);
  t.notOk(report.complete);
  t.ok(report.fidelity!.maxAbsError > 1e-3);

  const deeper = compareNetworks(truth, removeNeuron(truth, 1, 0), fast);
  t.same(deeper.layers.map((l) => [l.matched, l.missing, l.extra]), [[20, 0, 0], [19, 1, 0], [1, 0, 0]]);
  t.equal(deeper.maxError, 0);
});

t.test('compare - an extra neuron is reported extra', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 15 });
  const rng = createRng(16);
  const rec = appendNeuron(truth, 0, rng.gaussianArray(10), 0.3, rng.gaussianArray(20));
  const report = compareNetworks(truth, rec, fast);
  t.same(report.layers.map((l) => [l.trueWidth, l.recoveredWidth, l.matched, l.missing, l.extra]), [
    [20, 21, 20, 0, 1],
    [20, 20, 20, 0, 0],
    [1, 1, 1, 0, 0],
  ]);
  t.same(report.layers[0].rejected, [], 'nothing to pair the extra neuron with');
  t.ok(report.bits >= 48, `bits ${report.bits}`);
  t.ok(report.fidelity!.maxAbsError > 0);
  // And the other way round: an extra true neuron is a missing one.
  const reverse = compareNetworks(rec, truth, fast);
  t.same([reverse.layers[0].missing, reverse.layers[0].extra], [1, 0]);
});

t.test('compare - a missing or extra layer is an architecture mismatch, not an error', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 20, 1], seed: 17 });
  const missing = network([copyLayer(truth.layers[0]), copyLayer(truth.layers[2])]);
  const report = compareNetworks(truth, missing, fast);
  t.notOk(report.architectureMatch);
  t.ok(report.inputDimMatch && report.outputDimMatch);
  t.same(report.layers.map((l) => [l.layer, l.kind, l.trueWidth, l.recoveredWidth, l.matched, l.missing, l.extra]), [
    [1, 'hidden', 20, 20, 20, 0, 0],
    [2, 'hidden', 20, 0, 0, 20, 0],
    [3, 'output', 1, 1, 0, 1, 1],
  ]);
  t.ok(Number.isNaN(report.layers[1].maxError));
  t.equal(report.maxError, 0, 'layer 1 still matched exactly');
  t.ok(report.fidelity !== null, 'same input and output dims: fidelity is measured');

  const extraLayer = generateNetwork({ architecture: [10, 20, 20, 20, 1], seed: 17 });
  const more = compareNetworks(truth, extraLayer, fast);
  t.notOk(more.architectureMatch);
  t.same(more.layers.map((l) => [l.trueWidth, l.recoveredWidth]), [[20, 20], [20, 20], [0, 20], [1, 1]]);
  t.same(more.layers.slice(2).map((l) => [l.missing, l.extra]), [[0, 20], [1, 1]]);
});

t.test('compare - input or output dim mismatch is reported without throwing, fidelity null', async (t) => {
  const truth = generateNetwork({ architecture: [10, 20, 3], seed: 18 });
  // One more input, with zero weights: layer 1 is compared on the 10 shared inputs.
  const wideLayer = denseLayer(11, 20);
  for (let i = 0; i < 20; i++) (wideLayer.weights as Float64Array).set(row(truth.layers[0], i), i * 11);
  (wideLayer.biases as Float64Array).set(truth.layers[0].biases);
  const wide = network([wideLayer, copyLayer(truth.layers[1])]);
  const report = compareNetworks(truth, wide, fast);
  t.same([report.architectureMatch, report.inputDimMatch, report.outputDimMatch], [false, false, true]);
  t.same(report.recoveredArchitecture, [11, 20, 3]);
  t.equal(report.fidelity, null);
  t.equal(report.layers[0].matched, 20);
  t.equal(report.maxError, 0);

  const unrelated = compareNetworks(truth, generateNetwork({ architecture: [7, 20, 3], seed: 18 }), fast);
  t.same([unrelated.architectureMatch, unrelated.inputDimMatch, unrelated.fidelity], [false, false, null]);

  // One more output: the common outputs are matched by index, the new one is extra.
  const tall = cloneNetwork(truth);
  const out = denseLayer(20, 4);
  (out.weights as Float64Array).set(truth.layers[1].weights);
  (out.biases as Float64Array).set(truth.layers[1].biases);
  const taller = network([copyLayer(truth.layers[0]), out]);
  const r2 = compareNetworks(tall, taller, fast);
  t.same([r2.architectureMatch, r2.inputDimMatch, r2.outputDimMatch, r2.fidelity], [false, true, false, null]);
  t.same([r2.layers[1].matched, r2.layers[1].missing, r2.layers[1].extra], [3, 0, 1]);
  t.equal(r2.maxError, 0);
});

t.test('compare - property: random equivalent copies match across seeds, inits and architectures', async (t) => {
  for (let seed = 0; seed < 6; seed++) {
    for (const init of ['rk', 'carlini', 'balanced'] as const) {
      const arch = [[4, 6, 1], [10, 20, 20, 1], [30, 40, 20, 10], [5, 8, 8, 8, 3]][seed % 4];
      const truth = generateNetwork({ architecture: arch, seed, init });
      const copy = randomEquivalentNetwork(truth, { seed: 1000 + seed });
      const report = compareNetworks(truth, copy.network, { fidelitySamples: 2000, seed });
      const tag = `${arch.join('-')} ${init} seed ${seed}`;
      t.ok(report.complete, `${tag} complete`);
      // Rounding only: a few ulps of canonical weights of magnitude up to ~8 -> at least 48 bits.
      t.ok(report.bits >= 48, `${tag} bits ${report.bits}`);
      t.ok(report.fidelity!.relativeError < 1e-12, `${tag} fidelity ${report.fidelity!.relativeError}`);
      copy.permutations.forEach((perm, l) => {
        t.same(report.layers[l].pairs.map((p) => p.recovered), Array.from(perm), `${tag} layer ${l + 1} matching`);
      });
    }
  }
});

t.test('compare - deterministic, and fidelity follows seed and domainScale', async (t) => {
  const truth = generateNetwork({ architecture: [6, 10, 2], seed: 19 });
  const rec = cloneNetwork(truth);
  rec.layers[1].biases[0] += 0.01;
  const a = compareNetworks(truth, rec, { fidelitySamples: 3000, seed: 3, domainScale: 2 });
  t.same(compareNetworks(truth, rec, { fidelitySamples: 3000, seed: 3, domainScale: 2 }), a);
  // The bias shift reaches the output unchanged: |f - f^| = 0.01 on every input (up to rounding).
  t.ok(Math.abs(a.fidelity!.maxAbsError - 0.01) <= 1e-14);
  const b = compareNetworks(truth, rec, { fidelitySamples: 3000, seed: 4, domainScale: 2 });
  t.not(a.fidelity!.maxAbsOutput, b.fidelity!.maxAbsOutput);
  const c = compareNetworks(truth, rec, { fidelitySamples: 3000, seed: 3, domainScale: 0.5 });
  t.ok(c.fidelity!.maxAbsOutput < a.fidelity!.maxAbsOutput);
  t.equal(compareNetworks(truth, rec, { fidelitySamples: 0 }).fidelity, null);
  const batched = compareNetworks(truth, rec, { fidelitySamples: 3000, seed: 3, domainScale: 2, fidelityBatchSize: 7 });
  t.same(batched.fidelity, a.fidelity, 'independent of the batch size');
});

t.test('compare - zero rows and zero-width overlaps do not produce NaN', async (t) => {
  const truth = cloneNetwork(generateNetwork({ architecture: [5, 6, 4, 1], seed: 20 }));
  (truth.layers[0].weights as Float64Array).fill(0, 2 * 5, 3 * 5); // neuron 2 of layer 1: zero row (constant ReLU(b))
  const report = compareNetworks(truth, cloneNetwork(truth), fast);
  t.equal(report.maxError, 0);
  t.ok(report.complete);
  const copy = compareNetworks(truth, randomEquivalentNetwork(truth, { seed: 21 }).network, fast);
  t.ok(copy.complete);
  t.ok(copy.bits >= 48);
});

t.test('compare - bad options and malformed networks throw errors naming the field', async (t) => {
  const net = generateNetwork({ architecture: [3, 4, 1], seed: 22 });
  t.throws(() => compareNetworks(net, net, { matchTolerance: 0 }), { name: 'RangeError', message: /options\.matchTolerance/ });
  t.throws(() => compareNetworks(net, net, { fidelitySamples: -1 }), { name: 'RangeError', message: /options\.fidelitySamples/ });
  t.throws(() => compareNetworks(net, net, { fidelitySamples: 1.5 }), { name: 'RangeError', message: /options\.fidelitySamples/ });
  t.throws(() => compareNetworks(net, net, { domainScale: -1 }), { name: 'RangeError', message: /options\.domainScale/ });
  t.throws(() => compareNetworks(net, net, { seed: NaN }), { name: 'RangeError', message: /options\.seed/ });
  t.throws(() => compareNetworks(net, net, { fidelityBatchSize: 0 }), { name: 'RangeError', message: /options\.fidelityBatchSize/ });
  const bad = cloneNetwork(net);
  (bad.layers[0].weights as Float64Array)[3] = NaN;
  t.throws(() => compareNetworks(net, bad, fast), { name: 'RangeError', message: /recovered\.layers\[0\]\.weights\[3\]/ });
  const broken = network([denseLayer(3, 4), denseLayer(5, 1)]);
  t.throws(() => compareNetworks(broken, net, fast), { name: 'RangeError', message: /truth\.layers\[1\]\.inDim/ });
  t.throws(() => compareNetworks(net, network([]), fast), { name: 'RangeError', message: /recovered\.layers/ });
  t.doesNotThrow(() => compareNetworks(net, net, { matchTolerance: undefined, fidelitySamples: 10 }), 'undefined means default');
});
