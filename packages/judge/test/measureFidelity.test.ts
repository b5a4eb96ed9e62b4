import t from 'tap';
import { denseLayer, generateNetwork, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { measureFidelity } from '../src/index.js';

/** f(x) = a . x + c: a single (output) layer, no ReLU. */
function linear(a: number[], c: number): ReluNetwork {
  return { name: 'linear', meta: {}, layers: [denseLayer(a.length, 1, Float64Array.from(a), Float64Array.from([c]))] };
}

t.test('fidelity - hand-computed on linear networks', async (t) => {
  // f(x) = x1, f^(x) = x1 + 0.5: error 0.5 on every input up to the rounding of x1 + 0.5 (< 1e-15 for
  // |x1| < 8), and max |f| = max |x1| over the same stream of draws, regenerated here.
  const samples = 1000, seed = 5;
  const r = measureFidelity(linear([1, 0], 0), linear([1, 0], 0.5), { samples, seed, batchSize: 64 });
  const x = createRng(seed).gaussianArray(samples * 2);
  let maxX1 = 0;
  for (let i = 0; i < samples; i++) maxX1 = Math.max(maxX1, Math.abs(x[2 * i]));
  t.equal(r.samples, samples);
  t.equal(r.maxAbsOutput, maxX1);
  t.ok(Math.abs(r.maxAbsError - 0.5) <= 1e-15);
  t.equal(r.relativeError, r.maxAbsError / maxX1);
  // domainScale 2 doubles every input exactly, so max |f| doubles exactly.
  t.equal(measureFidelity(linear([1, 0], 0), linear([1, 0], 0.5), { samples, seed, domainScale: 2 }).maxAbsOutput, 2 * maxX1);
});

t.test('fidelity - zero output gives relative 0 or Infinity; batch size does not matter', async (t) => {
  const zero = linear([0, 0], 0);
  t.same(measureFidelity(zero, zero, { samples: 10 }), { samples: 10, maxAbsError: 0, maxAbsOutput: 0, relativeError: 0 });
  t.equal(measureFidelity(zero, linear([0, 0], 1), { samples: 10 }).relativeError, Infinity);
  const a = generateNetwork({ architecture: [5, 7, 3], seed: 1 }), b = generateNetwork({ architecture: [5, 7, 3], seed: 2 });
  const one = measureFidelity(a, b, { samples: 777, seed: 9, batchSize: 1 });
  t.same(measureFidelity(a, b, { samples: 777, seed: 9, batchSize: 100 }), one);
  t.same(measureFidelity(a, b, { samples: 777, seed: 9 }), one);
  t.equal(measureFidelity(a, b, { samples: 0 }).samples, 0);
  t.equal(measureFidelity(a, b).samples, 100_000, 'default sample count');
});

t.test('fidelity - dimension mismatch and bad options throw RangeError', async (t) => {
  const a = linear([1, 0], 0);
  t.throws(() => measureFidelity(a, linear([1, 0, 0], 0)), { name: 'RangeError', message: /input dims/ });
  const twoOut: ReluNetwork = { name: 'y2', meta: {}, layers: [denseLayer(2, 2)] };
  t.throws(() => measureFidelity(a, twoOut), { name: 'RangeError', message: /output dims/ });
  t.throws(() => measureFidelity(a, a, { samples: -3 }), { name: 'RangeError', message: /options\.samples/ });
  t.throws(() => measureFidelity(a, a, { domainScale: 0 }), { name: 'RangeError', message: /options\.domainScale/ });
  t.throws(() => measureFidelity(a, a, { batchSize: 2.5 }), { name: 'RangeError', message: /options\.batchSize/ });
  t.throws(() => measureFidelity(a, a, { seed: Infinity }), { name: 'RangeError', message: /options\.seed/ });
});
