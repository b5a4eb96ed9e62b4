import type { onnx as Onnx } from 'onnx-proto';
import { int64, onnx } from '../../internal/proto.js';

/**
 * Input width of the first layer and output width of the last, read from the dims of their weight
 * tensors (initializers or Constant nodes). A width is undefined when the chain from the graph
 * input (through Identity/Flatten) or back from the graph output (through Identity, Relu and a
 * bias Add) does not reach a Gemm or MatMul with a 2-D constant weight.
 */
export function layerWidths(bytes: Uint8Array): { inputDim?: number; outputDim?: number } {
  let graph: Onnx.IGraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(bytes).graph;
  } catch {
    return {};
  }
  if (!graph) return {};
  const weights = new Map<string, number[]>();
  for (const t of graph.initializer ?? []) weights.set(t.name ?? '', (t.dims ?? []).map(int64));
  const nodes = graph.node ?? [];
  for (const n of nodes) {
    const t = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (t && n.output?.[0]) weights.set(n.output[0], (t.dims ?? []).map(int64));
  }
  const weightDims = (node: Onnx.INodeProto): number[] | undefined => {
    const d = weights.get(node.input?.[1] ?? '');
    return d && d.length === 2 ? d : undefined;
  };
  const transB = (node: Onnx.INodeProto): boolean =>
    node.opType === 'Gemm' && int64(node.attribute?.find((a) => a.name === 'transB')?.i) === 1;

  let inputDim: number | undefined;
  let current = (graph.input ?? []).find((v) => !weights.has(v.name ?? ''))?.name ?? '';
  for (let guard = 0; guard <= nodes.length; guard++) {
    const node = nodes.find((n) => n.input?.[0] === current);
    if (!node) break;
    if (node.opType === 'Identity' || node.opType === 'Flatten') {
      current = node.output?.[0] ?? '';
      continue;
    }
    const d = node.opType === 'Gemm' || node.opType === 'MatMul' ? weightDims(node) : undefined;
    if (d) inputDim = transB(node) ? d[1] : d[0];
    break;
  }

  let outputDim: number | undefined;
  current = graph.output?.[0]?.name ?? '';
  for (let guard = 0; guard <= nodes.length; guard++) {
    const node = nodes.find((n) => n.output?.includes(current));
    if (!node) break;
    if (node.opType === 'Identity' || node.opType === 'Relu') {
      current = node.input?.[0] ?? '';
      continue;
    }
    if (node.opType === 'Add') {
      current = node.input?.find((name) => !weights.has(name)) ?? '';
      continue;
    }
    const d = node.opType === 'Gemm' || node.opType === 'MatMul' ? weightDims(node) : undefined;
    if (d) outputDim = transB(node) ? d[0] : d[1];
    break;
  }
  return { inputDim, outputDim };
}
