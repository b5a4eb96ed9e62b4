/**
 * The assignment solver did not pair min(rows, cols) rows and columns of a finite cost matrix.
 * Never expected in practice: it signals a bug in the solver or non-finite costs.
 */
export class AssignmentError extends Error {
  override readonly name = 'AssignmentError';
  constructor(
    message: string,
    readonly rows: number,
    readonly cols: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (cost matrix ${rows} x ${cols})`, options);
  }
}
