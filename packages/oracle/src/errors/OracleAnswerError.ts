import { OracleError } from './OracleError.js';

/** Where an answer went wrong. */
export interface OracleAnswerErrorFields {
  /** Row of the answer (0-based) that is wrong or missing. */
  readonly row: number;
  /** Column (0-based output index) holding the bad value; absent when the row itself is missing or extra. */
  readonly column?: number;
  /** The offending value as received (a number, or whatever a foreign answer held instead). */
  readonly value?: unknown;
}

/** The black box answered, but the answer is unusable: a NaN/Inf/non-number value, or the wrong number of values. */
export class OracleAnswerError extends OracleError {
  override readonly name = 'OracleAnswerError';
  readonly row: number;
  readonly column: number | undefined;
  readonly value: unknown;

  constructor(message: string, fields: OracleAnswerErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.row = fields.row;
    this.column = fields.column;
    this.value = fields.value;
  }
}
