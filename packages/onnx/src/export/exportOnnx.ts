import type { onnx as Onnx } from 'onnx-proto';
import type { ReluNetwork } from '@relurec/network';
import { DataType, onnx } from '../internal/proto.js';
import { toLittleEndian } from '../internal/littleEndian.js';

/** Element types of an exported model. */
export const OnnxDtype = { float32: 'float32', float64: 'float64' } as const;
export type OnnxDtype = (typeof OnnxDtype)[keyof typeof OnnxDtype];

/** Default opset of exported models (Gemm-13, Relu-13/14 both take double). */
export const DEFAULT_OPSET = 13;

/** Keys under which `exportOnnx` stores the network's name and meta in the model's metadata_props. */
export const METADATA_KEYS = { name: 'relurec.name', meta: 'relurec.meta' } as const;

export interface ExportOnnxOptions {
  /**
   * Element type of the model's weights, input and output. Default 'float64', which keeps every
   * weight bit-exact; 'float32' rounds weights to nearest float32 for consumers that want it.
   */
  dtype?: OnnxDtype;
  /** ai.onnx opset version, an integer >= 7 (first opset with a broadcasting Gemm bias). Default 13. */
  opset?: number;
}

/**
 * Serializes a network as an ONNX ModelProto: input 'input' of shape [batch, n0] (symbolic batch),
 * output 'output' of shape [batch, m], one Gemm (transB=1, weights stored out x in as in the
 * network) per layer and a Relu after every layer but the last. Name and meta travel in
 * metadata_props so `importOnnx` restores them.
 * @returns the encoded model bytes
 * @throws RangeError naming the bad option
 */
export function exportOnnx(net: ReluNetwork, options: ExportOnnxOptions = {}): Uint8Array {
  const dtype = options.dtype ?? OnnxDtype.float64;
  if (dtype !== OnnxDtype.float32 && dtype !== OnnxDtype.float64) {
    throw new RangeError(`options.dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
  }
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 7) throw new RangeError(`options.opset must be an integer >= 7, got ${JSON.stringify(opset)}`);
  if (net.layers.length === 0) throw new RangeError('net has no layers');
  const elemType = dtype === OnnxDtype.float64 ? DataType.double : DataType.float;

  const nodes: Onnx.INodeProto[] = [];
  const initializers: Onnx.ITensorProto[] = [];
  const last = net.layers.length - 1;
  let current = 'input';
  net.layers.forEach((layer, l) => {
    const w = `layers.${l}.weight`, b = `layers.${l}.bias`;
    initializers.push(
      { name: w, dataType: elemType, dims: [layer.outDim, layer.inDim], rawData: toLittleEndian(layer.weights, dtype) },
      { name: b, dataType: elemType, dims: [layer.outDim], rawData: toLittleEndian(layer.biases, dtype) },
    );
    const z = l === last ? 'output' : `layers.${l}.pre`;
    nodes.push({
      name: `gemm${l}`,
      opType: 'Gemm',
      input: [current, w, b],
      output: [z],
      attribute: [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    });
    current = z;
    if (l < last) {
      const h = `layers.${l}.out`;
      nodes.push({ name: `relu${l}`, opType: 'Relu', input: [z], output: [h] });
      current = h;
    }
  });

  const valueInfo = (name: string, width: number): Onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } },
  });
  const model: Onnx.IModelProto = {
    irVersion: irVersionFor(opset),
    producerName: 'relurec',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: opset }],
    metadataProps: [
      { key: METADATA_KEYS.name, value: net.name },
      { key: METADATA_KEYS.meta, value: JSON.stringify(net.meta) },
    ],
    graph: {
      name: net.name || 'relu-net',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', net.layers[0].inDim)],
      output: [valueInfo('output', net.layers[last].outDim)],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Lowest IR version released with the opset (ONNX's versioning table); newer runtimes read older IR. */
function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}
