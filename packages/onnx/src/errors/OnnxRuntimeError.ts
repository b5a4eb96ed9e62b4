/** onnxruntime failed while evaluating a model that loaded fine (or the session was already closed). */
export class OnnxRuntimeError extends Error {
  override readonly name = 'OnnxRuntimeError';
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}
