/**
 * Base of every error an {@link Oracle} rejects with. Catch this to handle any black-box failure;
 * check the subclass (or `name`) to tell a spent budget from a broken endpoint.
 */
export class OracleError extends Error {
  override readonly name: string = 'OracleError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
