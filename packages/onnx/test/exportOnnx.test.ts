import t from 'tap';
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { generateNetwork } from '@relurec/network';
import { exportOnnx } from '../src/index.js';

const { onnx } = onnxProto;

t.test('exportOnnx - one Gemm (transB=1) per layer, Relu between, none after the last', async (t) => {
  const net = generateNetwork({ architecture: [10, 20, 20, 1], seed: 1 });
  const model = onnx.ModelProto.decode(exportOnnx(net));
  const graph = model.graph as Onnx.GraphProto;
  t.same(graph.node.map((n) => n.opType), ['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
  for (const n of graph.node.filter((x) => x.opType === 'Gemm')) {
    t.same(n.attribute!.map((a) => [a.name, Number(a.i)]), [['transB', 1]]);
  }
  t.same(graph.initializer.map((i) => [i.name, i.dims!.map(Number), i.dataType]), [
    ['layers.0.weight', [20, 10], 11],
    ['layers.0.bias', [20], 11],
    ['layers.1.weight', [20, 20], 11],
    ['layers.1.bias', [20], 11],
    ['layers.2.weight', [1, 20], 11],
    ['layers.2.bias', [1], 11],
  ]);
  const shape = (v: Onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
  t.equal(graph.input[0].name, 'input');
  t.same(shape(graph.input[0]), ['batch', 10]);
  t.equal(graph.output[0].name, 'output');
  t.same(shape(graph.output[0]), ['batch', 1]);
  t.equal(graph.input[0].type!.tensorType!.elemType, 11, 'DOUBLE input by default');
  t.same(model.opsetImport.map((o) => [o.domain, Number(o.version)]), [['', 13]]);
});

t.test('exportOnnx - float32 and opset options', async (t) => {
  const net = generateNetwork({ architecture: [5, 7, 3], seed: 1 });
  const model = onnx.ModelProto.decode(exportOnnx(net, { dtype: 'float32', opset: 17 }));
  const graph = model.graph as Onnx.GraphProto;
  t.same(graph.initializer.map((i) => i.dataType), [1, 1, 1, 1]);
  t.equal(graph.input[0].type!.tensorType!.elemType, 1);
  t.equal(graph.initializer[0].rawData!.length, 7 * 5 * 4, 'float32 raw_data');
  t.equal(Number(model.opsetImport[0].version), 17);
});

t.test('exportOnnx - bad options throw a RangeError naming the option', async (t) => {
  const net = generateNetwork({ architecture: [2, 2, 1], seed: 1 });
  t.throws(() => exportOnnx(net, { dtype: 'float16' as never }), { name: 'RangeError', message: /options\.dtype/ });
  t.throws(() => exportOnnx(net, { opset: 6 }), { name: 'RangeError', message: /options\.opset/ });
  t.throws(() => exportOnnx(net, { opset: 13.5 }), { name: 'RangeError', message: /options\.opset/ });
});
