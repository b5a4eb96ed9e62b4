/** A relu-net document that is not valid. `field` is a JSON path such as `layers[1].weights[3]`. */
export class NetworkFormatError extends Error {
  override readonly name = 'NetworkFormatError';
  constructor(
    message: string,
    readonly file: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${field}: ${message}`, options);
  }
}
