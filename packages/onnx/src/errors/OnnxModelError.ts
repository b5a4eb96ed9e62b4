/**
 * An ONNX model that cannot be read or is not a plain ReLU MLP.
 * `file` is where the bytes came from (`'<bytes>'` when none was given); `node` and `op` name the
 * offending graph node when there is one (`node` is the node's name, or `#index` when it has none).
 */
export class OnnxModelError extends Error {
  override readonly name = 'OnnxModelError';
  constructor(
    message: string,
    readonly file: string,
    readonly node?: string,
    readonly op?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${node === undefined ? '' : `node '${node}' (${op ?? '?'}): `}${message}`, options);
  }
}
