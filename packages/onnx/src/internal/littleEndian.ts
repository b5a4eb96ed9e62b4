/** float32 or float64 values as little-endian bytes (the byte order of ONNX raw_data). */
export function toLittleEndian(values: Float64Array, dtype: 'float32' | 'float64'): Uint8Array {
  const size = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  if (dtype === 'float64') for (let k = 0; k < values.length; k++) view.setFloat64(k * 8, values[k], true);
  else for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k], true);
  return bytes;
}

/** Reads `count` little-endian float32 or float64 values from raw bytes (any alignment). */
export function fromLittleEndian(bytes: Uint8Array, dtype: 'float32' | 'float64', count: number): Float64Array {
  const out = new Float64Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'float64') for (let k = 0; k < count; k++) out[k] = view.getFloat64(k * 8, true);
  else for (let k = 0; k < count; k++) out[k] = view.getFloat32(k * 4, true);
  return out;
}
