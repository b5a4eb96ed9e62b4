// onnx-proto is a CommonJS bundle whose namespace is only reachable through the default export.
import onnxProto from 'onnx-proto';

/** The protobufjs-generated ONNX namespace (ModelProto, GraphProto, TensorProto, ...). */
export const onnx = onnxProto.onnx;

/** protobufjs decodes int64 fields as Long objects when the `long` package is present. */
export type Int64 = number | { toNumber(): number } | null | undefined;

/** An int64 protobuf field as a JS number (0 when absent). */
export function int64(v: Int64): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** Tensor element types this package reads and writes (ONNX TensorProto.DataType values). */
export const DataType = { float: 1, double: 11 } as const;
