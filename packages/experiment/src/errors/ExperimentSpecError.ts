/** An experiment spec that is not valid. `field` is a JSON path such as `settings[1].workers`. */
export class ExperimentSpecError extends Error {
  override readonly name = 'ExperimentSpecError';
  constructor(
    message: string,
    readonly file: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${field}: ${message}`, options);
  }
}
