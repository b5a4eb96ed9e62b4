/** A cell whose target generation, recovery or judging failed; the run stops there (finished cells stay in results.jsonl). */
export class ExperimentCellError extends Error {
  override readonly name = 'ExperimentCellError';
  constructor(
    message: string,
    readonly cellId: string,
    options?: { cause?: unknown },
  ) {
    super(`cell ${cellId}: ${message}`, options);
  }
}
