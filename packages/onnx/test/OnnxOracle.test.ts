import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { denseLayer, forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { exportOnnx, openOnnxOracle, OnnxModelError } from '../src/index.js';
import { buildModel, DOUBLE, matMulAddModel, matMulAddReference, node, tensor } from './fixtures/buildModel.js';
import { inputRows } from './fixtures/inputs.js';

/** max_k |a_k - b_k| / max(1, |b_k|): relative for outputs of size >= 1, absolute below (weights and inputs are O(1)). */
function maxScaledError(a: Float64Array, b: Float64Array): number {
  let e = 0;
  for (let k = 0; k < b.length; k++) e = Math.max(e, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  return e;
}

const ROWS = 300;

t.test('OnnxOracle - a float64 export evaluates like forward() to 1e-12 relative', async (t) => {
  for (const architecture of [[5, 7, 3], [10, 20, 20, 1]]) {
    const net = generateNetwork({ architecture, seed: 1 });
    const oracle = await openOnnxOracle(exportOnnx(net));
    t.teardown(() => oracle.close());
    t.match(oracle, { inputDim: architecture[0], outputDim: architecture[architecture.length - 1], dtype: 'float64' });
    const x = inputRows(ROWS, architecture[0]);
    const y = await oracle.query(x, ROWS);
    t.type(y, Float64Array);
    // Both sides compute in float64 with different summation orders (MLAS DGEMM vs a plain loop);
    // observed differences are about 1e-15.
    const e = maxScaledError(y, forward(net, x, ROWS));
    t.ok(e <= 1e-12, `${architecture.join('-')}: max error ${e}`);
  }
});

t.test('OnnxOracle - a float32 export evaluates like forward() to float32 tolerance', async (t) => {
  for (const architecture of [[5, 7, 3], [10, 20, 20, 1]]) {
    const net = generateNetwork({ architecture, seed: 1 });
    const oracle = await openOnnxOracle(exportOnnx(net, { dtype: 'float32' }));
    t.teardown(() => oracle.close());
    t.equal(oracle.dtype, 'float32');
    const x = inputRows(ROWS, architecture[0]);
    const y = await oracle.query(x, ROWS);
    // Weights, inputs and sums are rounded to float32 (unit roundoff 6e-8). The a-priori bound for a
    // 20-term dot product is about 20 x 6e-8 = 1.2e-6 of the sum of |terms| per layer; with three
    // layers and inputs up to 3 that is ~1e-5. Observed: about 1e-6.
    const e = maxScaledError(y, forward(net, x, ROWS));
    t.ok(e <= 3e-5, `${architecture.join('-')}: max error ${e}`);
    t.ok(e > 1e-12, 'the float32 model really computes in float32');
  }
});

/** The same function: hidden neurons of layer 0 permuted (reverse order) and scaled by c_i = 2^(i mod 3 - 1) > 0. */
function permuteAndRescale(net: ReluNetwork): ReluNetwork {
  const [l0, l1, ...rest] = net.layers;
  const n = l0.inDim, m = l0.outDim, k = l1.outDim;
  const w0 = new Float64Array(m * n), b0 = new Float64Array(m), w1 = new Float64Array(k * m);
  for (let i = 0; i < m; i++) {
    const src = m - 1 - i, c = 2 ** ((i % 3) - 1);
    for (let j = 0; j < n; j++) w0[i * n + j] = c * l0.weights[src * n + j];
    b0[i] = c * l0.biases[src];
    for (let r = 0; r < k; r++) w1[r * m + i] = l1.weights[r * m + src] / c;
  }
  return { ...net, layers: [denseLayer(n, m, w0, b0), denseLayer(m, k, w1, l1.biases.slice()), ...rest] };
}

t.test('OnnxOracle - property: a permuted and positively rescaled export computes the same function', async (t) => {
  const net = generateNetwork({ architecture: [10, 20, 20, 1], seed: 5 });
  const oracle = await openOnnxOracle(exportOnnx(permuteAndRescale(net)));
  t.teardown(() => oracle.close());
  const x = inputRows(ROWS, 10);
  // Powers of two scale exactly; only the summation order differs, so the float64 tolerance holds.
  const e = maxScaledError(await oracle.query(x, ROWS), forward(net, x, ROWS));
  t.ok(e <= 1e-12, `max error ${e}`);
});

t.test('OnnxOracle - symbolic shapes: widths come from the first and last layer weights', async (t) => {
  const oracle = await openOnnxOracle(matMulAddModel(), { file: 'dense.onnx' });
  t.teardown(() => oracle.close());
  t.match(oracle, { inputDim: 3, outputDim: 1, dtype: 'float32', file: 'dense.onnx' });
  // Inputs below are exact in float32 and every product is dyadic, so the float32 model is exact.
  const rows = [[0.5, -1.25, 2], [1, 1, 1], [-2, 0.75, 0.5]];
  const y = await oracle.query(Float64Array.from(rows.flat()), rows.length);
  t.same(Array.from(y), rows.map(matMulAddReference));
});

t.test('OnnxOracle - an output without a static shape or a known last layer is measured by a probe', async (t) => {
  const bytes = buildModel({
    nodes: [node('Gemm', 'fc', ['x', 'W', 'b'], ['z'], { transB: { int: 1 } }), node('Sigmoid', 's', ['z'], ['y'])],
    initializers: [tensor('W', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8], DOUBLE), tensor('b', [4], [0, 0, 0, 0], DOUBLE)],
    input: { dims: ['N', 'F'], elemType: DOUBLE },
    output: { dims: ['N', 'M'], elemType: DOUBLE },
  });
  const oracle = await openOnnxOracle(bytes);
  t.teardown(() => oracle.close());
  t.match(oracle, { inputDim: 2, outputDim: 4 });
});

t.test('OnnxOracle - input validation, concurrent queries, close twice, query after close', async (t) => {
  const net = generateNetwork({ architecture: [5, 7, 3], seed: 3 });
  const oracle = await openOnnxOracle(exportOnnx(net), { intraOpNumThreads: 1 });
  await t.rejects(oracle.query(new Float64Array(9), 2), { name: 'RangeError', message: /expected rows \(2\) x inputDim \(5\) = 10/ });
  await t.rejects(oracle.query(new Float64Array(5), 1.5), { name: 'RangeError', message: /rows/ });
  await t.rejects(oracle.query([1, 2, 3, 4, 5] as never, 1), { name: 'TypeError' });
  await t.rejects(oracle.query(Float64Array.of(1, 2, 3, 4, 5, 1, 2, NaN, 4, 5), 2), { name: 'RangeError', message: /row 1 column 2 is NaN/ });
  t.same(await oracle.query(new Float64Array(0), 0), new Float64Array(0));

  const x = inputRows(64, 5);
  const whole = await oracle.query(x, 64);
  const parts = await Promise.all([0, 1, 2, 3].map((p) => oracle.query(x.subarray(p * 80, (p + 1) * 80), 16)));
  t.same(Array.from(parts.flatMap((p) => Array.from(p))), Array.from(whole), 'four concurrent batches of 16 equal one batch of 64');

  await oracle.close();
  await oracle.close();
  await t.rejects(oracle.query(x, 64), { name: 'OnnxRuntimeError', message: /closed/ });
});

t.test('OnnxOracle - opens a file; bad files and options give clear errors', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'relurec-onnx-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'net.onnx');
  const net = generateNetwork({ architecture: [5, 7, 3], seed: 1 });
  await writeFile(file, exportOnnx(net));
  const oracle = await openOnnxOracle(file);
  t.teardown(() => oracle.close());
  t.match(oracle, { inputDim: 5, outputDim: 3, file });

  const missing = join(dir, 'missing.onnx');
  await t.rejects(openOnnxOracle(missing), { name: 'OnnxModelError', file: missing, message: /cannot read file/ });
  const corrupt = join(dir, 'corrupt.onnx');
  await writeFile(corrupt, exportOnnx(net).subarray(0, 100));
  const err = await openOnnxOracle(corrupt).catch((e: unknown) => e);
  t.type(err, OnnxModelError);
  t.match(err, { file: corrupt, message: /onnxruntime cannot load the model/ });
  await t.rejects(openOnnxOracle(new Uint8Array(0)), { name: 'OnnxModelError', message: /empty/ });
  await t.rejects(openOnnxOracle(exportOnnx(net), { intraOpNumThreads: 0 }), { name: 'RangeError', message: /options\.intraOpNumThreads/ });
});
