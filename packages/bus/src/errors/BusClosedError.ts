/** A bus operation was called after `close()`. The message names the operation. */
export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';
  /** The operation that was refused ('publishTasks', 'serveTasks', ...). */
  readonly operation: string;

  constructor(operation: string, options?: { cause?: unknown }) {
    super(`bus is closed: ${operation}() called after close()`, options);
    this.operation = operation;
  }
}
