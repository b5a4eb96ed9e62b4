import { OracleError } from './OracleError.js';

/** A query was issued to (or was in flight on) an oracle after `close()`. */
export class OracleClosedError extends OracleError {
  override readonly name = 'OracleClosedError';

  constructor(message = 'oracle is closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}
