/** Where a message went wrong. */
export interface MalformedMessageErrorFields {
  /**
   * Path of the offending field: `taskId`, `failure.name`, `current[2].runId`, `input.points[7]`;
   * `$` for the message as a whole (not msgpack, not an object).
   */
  readonly field: string;
  /** Subject the message arrived on or was to be sent on; '' when it did not come over a bus. */
  readonly subject: string;
}

/**
 * A message that is not what the protocol says: undecodable bytes, a missing or ill-typed field,
 * a non-finite number, a wrong version, a malformed id. The message names the type, the subject and
 * the field, e.g. `malformed TaskMessage on relurec.r1.tasks: taskId must match /^\d{5}\.\d{5}$/ (got '12.3')`.
 */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  readonly field: string;
  readonly subject: string;

  constructor(message: string, fields: MalformedMessageErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.field = fields.field;
    this.subject = fields.subject;
  }
}
