/** A results.jsonl (or report input) that cannot be used: a malformed line before the last, or a missing file. `line` is 1-based, 0 for the whole file. */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`, options);
  }
}
