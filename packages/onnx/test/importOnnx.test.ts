import t from 'tap';
import { forward, generateNetwork, type ReluNetwork } from '@relurec/network';
import { exportOnnx, importOnnx, OnnxModelError } from '../src/index.js';
import { buildModel, DOUBLE, FLOAT, INT64, matMulAddModel, matMulAddReference, node, tensor } from './fixtures/buildModel.js';

/** Every weight and bias identical to the bit (Object.is, so -0 and 0 differ). */
function sameBits(a: ReluNetwork, b: ReluNetwork): boolean {
  if (a.layers.length !== b.layers.length) return false;
  return a.layers.every((la, l) => {
    const lb = b.layers[l];
    return la.inDim === lb.inDim && la.outDim === lb.outDim &&
      la.weights.length === lb.weights.length && la.weights.every((v, k) => Object.is(v, lb.weights[k])) &&
      la.biases.length === lb.biases.length && la.biases.every((v, k) => Object.is(v, lb.biases[k]));
  });
}

t.test('importOnnx - importOnnx(exportOnnx(net)) is bit-exact in float64, with name and meta', async (t) => {
  for (const architecture of [[5, 7, 3], [10, 20, 20, 1]]) {
    const net = generateNetwork({ architecture, seed: 1 });
    const back = importOnnx(exportOnnx(net));
    t.ok(sameBits(back, net), `${architecture.join('-')} weights identical`);
    t.equal(back.name, net.name);
    t.same(back.meta, net.meta);
  }
});

t.test('importOnnx - a float32 export reads back as the float32-rounded weights', async (t) => {
  const net = generateNetwork({ architecture: [5, 7, 3], seed: 2 });
  const back = importOnnx(exportOnnx(net, { dtype: 'float32' }));
  const rounded: ReluNetwork = {
    ...net,
    layers: net.layers.map((l) => ({ ...l, weights: l.weights.map(Math.fround), biases: l.biases.map(Math.fround) })),
  };
  t.ok(sameBits(back, rounded));
});

t.test('importOnnx - hand-built MatMul+Add+Relu model (float_data, double_data and raw_data)', async (t) => {
  for (const [dataType, raw] of [[FLOAT, false], [FLOAT, true], [DOUBLE, false], [DOUBLE, true]] as const) {
    const net = importOnnx(matMulAddModel(dataType, raw), { file: 'dense.onnx' });
    t.same(net.layers.map((l) => [l.inDim, l.outDim]), [[3, 2], [2, 1]]);
    // MatMul stores [in, out]; the network stores out x in.
    t.same(Array.from(net.layers[0].weights), [1, 0.5, -1, -2, 3, 0.25]);
    t.same(Array.from(net.layers[0].biases), [0.5, -1]);
    t.same(Array.from(net.layers[1].weights), [2, -0.5]);
    t.same(Array.from(net.layers[1].biases), [0.125]);
    const x = [0.3, -1.2, 2.5];
    // Every term is exact in float64 (dyadic weights), so the hand computation matches to 1 ulp.
    t.ok(Math.abs(forward(net, Float64Array.from(x), 1)[0] - matMulAddReference(x)) <= 1e-15, `dtype ${dataType} raw ${raw}`);
    t.equal(net.name, 'handmade');
    t.same(net.meta, { source: 'onnx', producer: 'relurec-test' });
  }
});

t.test('importOnnx - Gemm transB=0 with alpha and beta, scalar bias, Constant weight, leading Flatten and Identity', async (t) => {
  const bytes = buildModel({
    nodes: [
      node('Identity', 'id', ['x'], ['x1']),
      node('Flatten', 'flat', ['x1'], ['x2'], { axis: { int: 1 } }),
      node('Constant', 'w0const', [], ['W0'], { value: { tensor: tensor('', [2, 3], [1, 2, 3, 4, 5, 6], DOUBLE) } }),
      node('Gemm', 'fc0', ['x2', 'W0', 'c0'], ['z0'], { alpha: { float: 2 }, beta: { float: 0.5 }, transB: { int: 0 } }),
      node('Relu', 'act0', ['z0'], ['a0']),
      node('Gemm', 'fc1', ['a0', 'W1', 'c1'], ['y'], { transB: { int: 1 } }),
    ],
    initializers: [tensor('c0', [1, 3], [2, 4, 6], DOUBLE), tensor('W1', [1, 3], [1, -1, 1], DOUBLE), tensor('c1', [], [0.25], DOUBLE)],
    input: { dims: ['N', 2], elemType: DOUBLE },
    output: { dims: ['N', 1], elemType: DOUBLE },
  });
  const net = importOnnx(bytes);
  // alpha * B^T with B = [[1, 2, 3], [4, 5, 6]] (in x out); beta * C.
  t.same(Array.from(net.layers[0].weights), [2, 8, 4, 10, 6, 12]);
  t.same(Array.from(net.layers[0].biases), [1, 2, 3]);
  t.same(Array.from(net.layers[1].weights), [1, -1, 1]);
  t.same(Array.from(net.layers[1].biases), [0.25]);
});

t.test('importOnnx - an unsupported op is an OnnxModelError naming the op, the node and the file', async (t) => {
  const sigmoid = buildModel({
    nodes: [
      node('MatMul', 'mm0', ['x', 'W0'], ['h']),
      node('Sigmoid', 'squash', ['h'], ['a']),
      node('MatMul', 'mm1', ['a', 'W1'], ['y']),
    ],
    initializers: [tensor('W0', [2, 2], [1, 0, 0, 1]), tensor('W1', [2, 1], [1, 1])],
  });
  const err = t.throws(() => importOnnx(sigmoid, { file: 'model.onnx' })) as OnnxModelError;
  t.type(err, OnnxModelError);
  t.match(err, { name: 'OnnxModelError', file: 'model.onnx', node: 'squash', op: 'Sigmoid' });
  t.match(err.message, /^model\.onnx: node 'squash' \(Sigmoid\): unsupported operator 'Sigmoid'/);

  const conv = buildModel({ nodes: [node('Conv', '', ['x', 'K'], ['y'])], initializers: [tensor('K', [1, 1, 1, 1], [1])] });
  t.throws(() => importOnnx(conv), { name: 'OnnxModelError', node: '#0', op: 'Conv', file: '<bytes>' });
});

t.test('importOnnx - other non-MLP graphs are OnnxModelErrors at the node at fault', async (t) => {
  const W = tensor('W', [2, 2], [1, 2, 3, 4]);
  const cases: [string, Parameters<typeof buildModel>[0], object][] = [
    ['Relu after the last layer', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['h']), node('Relu', 'final_relu', ['h'], ['y'])], initializers: [W] },
      { node: 'final_relu', op: 'Relu', message: /last layer is followed by Relu/ }],
    ['two layers without Relu', { nodes: [node('MatMul', 'a', ['x', 'W'], ['h']), node('MatMul', 'b', ['h', 'W'], ['y'])], initializers: [W] },
      { node: 'b', op: 'MatMul', message: /without a Relu/ }],
    ['weight fed at run time', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['y'])] },
      { node: 'mm', op: 'MatMul', message: /not an initializer/ }],
    ['int64 weight', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['y'])], initializers: [tensor('W', [2, 2], [1, 2, 3, 4], INT64)] },
      { node: 'mm', message: /tensor 'W' has data type 7/ }],
    ['Gemm transA', { nodes: [node('Gemm', 'g', ['x', 'W'], ['y'], { transA: { int: 1 } })], initializers: [W] },
      { node: 'g', op: 'Gemm', message: /transA/ }],
    ['branching graph', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['h']), node('Relu', 'r', ['x'], ['y'])], initializers: [W] },
      { node: 'r', op: 'Relu', message: /does not continue the layer chain/ }],
    ['output not at the end', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['h'])], initializers: [W] },
      { node: undefined, message: /graph output 'y' is not the end of the layer chain/ }],
    ['declared width mismatch', { nodes: [node('MatMul', 'mm', ['x', 'W'], ['y'])], initializers: [W], input: { dims: ['N', 3] } },
      { message: /declares 3 features but the first layer takes 2/ }],
  ];
  for (const [name, spec, expected] of cases) {
    t.throws(() => importOnnx(buildModel(spec), { file: 'm.onnx' }), { name: 'OnnxModelError', file: 'm.onnx', ...expected }, name);
  }
});

t.test('importOnnx - corrupted or foreign bytes give a clear OnnxModelError', async (t) => {
  const good = exportOnnx(generateNetwork({ architecture: [5, 7, 3], seed: 1 }));
  const truncated = good.subarray(0, Math.floor(good.length / 2));
  t.throws(() => importOnnx(truncated, { file: 'cut.onnx' }), { name: 'OnnxModelError', file: 'cut.onnx', message: /^cut\.onnx: not a valid ONNX model/ });
  const flipped = good.slice();
  for (let k = 0; k < 64; k++) flipped[(k * 7919) % flipped.length] ^= 0xa5;
  t.throws(() => importOnnx(flipped), OnnxModelError, 'bit flips');
  t.throws(() => importOnnx(new TextEncoder().encode('{"format":"relu-net","version":1}')), { name: 'OnnxModelError', message: /not a valid ONNX model/ }, 'a JSON file');
  t.throws(() => importOnnx(new Uint8Array(0), { file: 'empty.onnx' }), { name: 'OnnxModelError', message: /empty/ });
});
