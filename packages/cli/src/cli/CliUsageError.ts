/**
 * Bad input or usage detected by the CLI (a flag out of range, flags that exclude each other, a
 * feature not in this version). The process prints `relurec: <message>` and exits 2.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  constructor(
    message: string,
    /** The flag at fault, e.g. '--arch', when there is one. */
    readonly flag?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
