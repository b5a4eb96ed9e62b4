import type { onnx as Onnx } from 'onnx-proto';
import { DataType, int64 } from '../../internal/proto.js';
import { fromLittleEndian } from '../../internal/littleEndian.js';

/** A float tensor read from an initializer or a Constant node, values widened to float64. */
export interface FloatTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

/**
 * Reads a float32 (float_data or raw_data) or float64 (double_data or raw_data) TensorProto.
 * Calls `fail` with a message naming the tensor when it has another type, external data, a
 * value count that does not match its dims, or a non-finite value.
 */
export function readTensor(t: Onnx.ITensorProto, fail: (message: string) => never): FloatTensor {
  const name = t.name ?? '';
  const dims = (t.dims ?? []).map(int64);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`tensor '${name}' has invalid dims [${dims.join(', ')}]`);
  const count = dims.reduce((p, d) => p * d, 1);
  if (t.dataLocation === 1) fail(`tensor '${name}' keeps its data in an external file, which is not supported`);
  const dtype = t.dataType === DataType.float ? 'float32' : t.dataType === DataType.double ? 'float64' : undefined;
  if (dtype === undefined) fail(`tensor '${name}' has data type ${t.dataType ?? 'unset'}; only FLOAT (1) and DOUBLE (11) are supported`);
  const typed = dtype === 'float32' ? t.floatData : t.doubleData;
  let values: Float64Array;
  if (t.rawData && t.rawData.length > 0) {
    const size = dtype === 'float32' ? 4 : 8;
    if (t.rawData.length !== count * size) {
      fail(`tensor '${name}' has ${t.rawData.length} raw bytes, expected ${count} x ${size} for dims [${dims.join(', ')}]`);
    }
    values = fromLittleEndian(t.rawData, dtype!, count);
  } else {
    const list = typed ?? [];
    if (list.length !== count) fail(`tensor '${name}' has ${list.length} values, expected ${count} for dims [${dims.join(', ')}]`);
    values = Float64Array.from(list);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) fail(`tensor '${name}' holds a non-finite value (${values[k]}) at flat index ${k}`);
  }
  return { name, dims, values };
}
