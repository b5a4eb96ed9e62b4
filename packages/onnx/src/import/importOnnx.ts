import type { onnx as Onnx } from 'onnx-proto';
import { denseLayer, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { OnnxModelError } from '../errors/OnnxModelError.js';
import { METADATA_KEYS } from '../export/exportOnnx.js';
import { int64, onnx } from '../internal/proto.js';
import { floatAttribute, intAttribute, unknownAttributes } from './internal/attributes.js';
import { readTensor, type FloatTensor } from './internal/readTensor.js';

export interface ImportOnnxOptions {
  /** Where the bytes came from, used in error messages. Default '<bytes>'. */
  file?: string;
}

/** Operators `importOnnx` reads; any other node is an OnnxModelError. */
export const SUPPORTED_OPS = ['Gemm', 'MatMul', 'Add', 'Relu', 'Flatten', 'Identity', 'Constant'] as const;

/**
 * Reads an ONNX model of a plain ReLU MLP: a single chain of layers, each a Gemm (transA=0,
 * transB 0 or 1, any alpha and beta, optional bias C) or a MatMul with an optional Add of a bias,
 * separated by Relu, with no Relu after the last layer. A leading Flatten (axis 1) and Identity
 * nodes are skipped; weights come from initializers or Constant nodes in float32 or float64
 * (typed fields or little-endian raw_data) and are widened to float64 exactly. When alpha or
 * beta is not 1 the stored weights are the products alpha*B and beta*C (one rounding each).
 * Name and meta are restored from the metadata `exportOnnx` writes; otherwise name is the graph
 * name and meta records the producer.
 * @throws OnnxModelError naming the file and, when one is at fault, the node (name and op)
 */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): ReluNetwork {
  const file = options.file ?? '<bytes>';
  const fail = (message: string, cause?: unknown): never => {
    throw new OnnxModelError(message, file, undefined, undefined, cause === undefined ? undefined : { cause });
  };
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length === 0) fail('file is empty, not an ONNX model');
  let model: Onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    return fail(`not a valid ONNX model: protobuf decoding failed (${(cause as Error).message})`, cause);
  }
  const graph = model.graph;
  if (!graph) return fail('not a valid ONNX model: it has no graph');

  const constants = new Map<string, Onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  // Models written before IR 4 list initializers among the graph inputs too.
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  const outputs = graph.output ?? [];
  const nodes = graph.node ?? [];
  if (inputs.length !== 1) fail(`expected exactly one graph input, found ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`);
  if (outputs.length !== 1) fail(`expected exactly one graph output, found ${outputs.length}`);
  if (nodes.length === 0) fail('the graph has no nodes');

  const layers: DenseLayer[] = [];
  let current = inputs[0].name ?? '';
  let state: 'start' | 'linear' | 'relu' = 'start';
  let flattened = false;
  let lastRelu = '';

  for (const [index, node] of nodes.entries()) {
    const label = node.name || `#${index}`;
    const op = node.opType ?? '';
    const nodeInputs = node.input ?? [];
    const nodeOutputs = node.output ?? [];
    const attributes = node.attribute ?? [];
    const failNode = (message: string): never => {
      throw new OnnxModelError(message, file, label, op);
    };
    const constant = (name: string | undefined, role: string): FloatTensor => {
      const t = name ? constants.get(name) : undefined;
      if (!t) return failNode(`${role} '${name ?? ''}' is not an initializer or Constant; only the layer input may vary`);
      return readTensor(t, failNode);
    };
    const takesCurrent = (): void => {
      if (nodeInputs[0] !== current) failNode(`does not continue the layer chain: its first input is '${nodeInputs[0] ?? ''}', expected '${current}'`);
    };
    const produce = (): void => {
      if (nodeOutputs.length !== 1 || !nodeOutputs[0]) failNode(`expected exactly one output, found ${nodeOutputs.length}`);
      current = nodeOutputs[0];
    };
    if (node.domain && node.domain !== 'ai.onnx') failNode(`operator from domain '${node.domain}' is not supported (only the default ai.onnx domain)`);

    switch (op) {
      case 'Constant': {
        const value = attributes.find((a) => a.name === 'value');
        if (!value?.t || attributes.length !== 1 || nodeOutputs.length !== 1) {
          failNode("only Constant nodes with a single 'value' tensor attribute are supported");
        }
        constants.set(nodeOutputs[0], { ...value!.t!, name: nodeOutputs[0] });
        continue;
      }
      case 'Identity':
        takesCurrent();
        produce();
        continue;
      case 'Flatten': {
        if (state !== 'start') failNode('Flatten is only supported before the first layer');
        takesCurrent();
        const axis = intAttribute(node, 'axis', 1);
        if (axis !== 1) failNode(`Flatten axis ${axis} is not supported (only axis 1, which keeps the batch dimension)`);
        flattened = true;
        produce();
        continue;
      }
      case 'Gemm': {
        if (state === 'linear') failNode('two linear layers follow each other without a Relu between them');
        takesCurrent();
        const extra = unknownAttributes(node, ['alpha', 'beta', 'transA', 'transB']);
        if (extra.length > 0) failNode(`unsupported attribute(s) ${extra.join(', ')}`);
        if (intAttribute(node, 'transA', 0) !== 0) failNode('transA=1 is not supported (the layer input must be [batch, features])');
        const transB = intAttribute(node, 'transB', 0);
        if (transB !== 0 && transB !== 1) failNode(`transB must be 0 or 1, got ${transB}`);
        const alpha = floatAttribute(node, 'alpha', 1);
        const beta = floatAttribute(node, 'beta', 1);
        const B = constant(nodeInputs[1], 'weight B');
        if (B.dims.length !== 2) failNode(`weight '${B.name}' must be 2-D, has dims [${B.dims.join(', ')}]`);
        const layer = transB === 1 ? fromOutByIn(B, alpha) : fromInByOut(B, alpha);
        if (nodeInputs.length > 2 && nodeInputs[2]) addBias(layer, constant(nodeInputs[2], 'bias C'), beta, failNode);
        layers.push(layer);
        state = 'linear';
        produce();
        continue;
      }
      case 'MatMul': {
        if (state === 'linear') failNode('two linear layers follow each other without a Relu between them');
        takesCurrent();
        const B = constant(nodeInputs[1], 'weight');
        if (B.dims.length !== 2) failNode(`weight '${B.name}' must be 2-D [in, out], has dims [${B.dims.join(', ')}]`);
        layers.push(fromInByOut(B, 1));
        state = 'linear';
        produce();
        continue;
      }
      case 'Add': {
        if (state !== 'linear') failNode('Add is only supported right after a MatMul or Gemm (as the layer bias)');
        const other = nodeInputs[0] === current ? nodeInputs[1] : nodeInputs[1] === current ? nodeInputs[0] : undefined;
        if (nodeInputs.length !== 2 || other === undefined) failNode(`does not continue the layer chain: neither input is '${current}'`);
        addBias(layers[layers.length - 1], constant(other, 'bias'), 1, failNode);
        produce();
        continue;
      }
      case 'Relu':
        if (state !== 'linear') failNode('Relu must follow a layer (MatMul or Gemm), not another Relu or the input');
        takesCurrent();
        state = 'relu';
        lastRelu = label;
        produce();
        continue;
      default:
        failNode(`unsupported operator '${op}'; a ReLU MLP uses only ${SUPPORTED_OPS.join(', ')}`);
    }
  }

  if (layers.length === 0) fail('no Gemm or MatMul layer found');
  if (state === 'relu') {
    throw new OnnxModelError('the last layer is followed by Relu; the output layer of a ReLU network is affine', file, lastRelu, 'Relu');
  }
  const output = outputs[0].name;
  if (current !== output) fail(`graph output '${output}' is not the end of the layer chain, which ends at '${current}'`);
  for (let l = 1; l < layers.length; l++) {
    if (layers[l].inDim !== layers[l - 1].outDim) {
      fail(`shape mismatch: layer ${l} takes ${layers[l].inDim} inputs but layer ${l - 1} has ${layers[l - 1].outDim} outputs`);
    }
  }
  checkDeclaredInput(inputs[0], layers[0].inDim, flattened, fail);

  const meta = readMetadata(model, fail);
  return {
    name: meta.name ?? graph.name ?? '',
    meta: meta.meta ?? { source: 'onnx', producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') },
    layers,
  };
}

/** A layer from a weight stored out x in (Gemm transB=1), scaled by alpha. */
function fromOutByIn(B: FloatTensor, alpha: number): DenseLayer {
  const [m, n] = B.dims;
  const w = alpha === 1 ? B.values.slice() : B.values.map((v) => alpha * v);
  return denseLayer(n, m, w);
}

/** A layer from a weight stored in x out (MatMul, Gemm transB=0), transposed and scaled by alpha. */
function fromInByOut(B: FloatTensor, alpha: number): DenseLayer {
  const [n, m] = B.dims;
  const w = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) w[i * n + j] = alpha === 1 ? B.values[j * m + i] : alpha * B.values[j * m + i];
  return denseLayer(n, m, w);
}

/** biases += scale * C, where C broadcasts along the features: dims [], [1], [m], [1, 1] or [1, m]. */
function addBias(layer: DenseLayer, C: FloatTensor, scale: number, failNode: (message: string) => never): void {
  const m = layer.outDim;
  const d = C.dims;
  const ok = d.length <= 2 && (d.length < 2 || d[0] === 1) && (d.length === 0 || d[d.length - 1] === 1 || d[d.length - 1] === m);
  if (!ok) failNode(`bias '${C.name}' with dims [${d.join(', ')}] does not broadcast to one value per output (${m})`);
  const b = layer.biases as Float64Array;
  const scalar = C.values.length === 1;
  for (let i = 0; i < m; i++) b[i] += scale * C.values[scalar ? 0 : i];
}

/** Checks the graph input's declared static width (when there is one) against the first layer. */
function checkDeclaredInput(input: Onnx.IValueInfoProto, inDim: number, flattened: boolean, fail: (m: string) => never): void {
  const tensor = input.type?.tensorType;
  if (!tensor) return;
  if (tensor.elemType && tensor.elemType !== 1 && tensor.elemType !== 11) {
    fail(`graph input '${input.name}' has element type ${tensor.elemType}; only float (1) and double (11) are supported`);
  }
  const dims = tensor.shape?.dim ?? [];
  const features = dims.slice(1);
  if (dims.length < 2 || (!flattened && dims.length !== 2)) {
    if (tensor.shape) fail(`graph input '${input.name}' has rank ${dims.length}; expected [batch, features]${flattened ? ' or more dims before a Flatten' : ''}`);
    return;
  }
  if (features.some((d) => d.dimValue === null || d.dimValue === undefined || d.dimParam)) return;
  const width = features.reduce((p, d) => p * int64(d.dimValue), 1);
  if (width !== inDim) fail(`graph input '${input.name}' declares ${width} features but the first layer takes ${inDim}`);
}

function readMetadata(model: Onnx.ModelProto, fail: (m: string, cause?: unknown) => never): { name?: string; meta?: Record<string, unknown> } {
  const props = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  const name = props.get(METADATA_KEYS.name);
  const text = props.get(METADATA_KEYS.meta);
  let meta: Record<string, unknown> | undefined;
  if (text !== undefined) {
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
      meta = v as Record<string, unknown>;
    } catch (cause) {
      fail(`metadata '${METADATA_KEYS.meta}' is not a JSON object (${(cause as Error).message})`, cause);
    }
  }
  return { name: name ?? undefined, meta };
}
