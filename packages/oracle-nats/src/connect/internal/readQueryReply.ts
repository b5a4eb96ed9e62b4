import { assertFiniteOutputs, OracleAnswerError, OracleRequestError, QueryBudgetExceededError, RequestFailure } from '@relurec/oracle';
import { decode } from '@relurec/protocol';

const REPLICA = /^[A-Za-z0-9_-]{1,64}$/;

/** Where an answer belongs. */
export interface ReplyContext {
  /** The subject the request went to. */
  readonly subject: string;
  /** Rows of the request, and the row of the whole batch its first row is. */
  readonly rows: number;
  readonly firstRow: number;
  readonly outputDim: number;
  /** Attempts the request took (for OracleRequestError). */
  readonly attempts: number;
}

/**
 * Reads the reply to one query request.
 * @returns the outputs (rows x outputDim, finite) and the answering replica when it named one
 * @throws QueryBudgetExceededError for a budget refusal; OracleAnswerError for an answer that is not
 *   MessagePack, has the wrong shape or a non-finite value, or that the service's black box got wrong
 *   (rows counted in the whole batch); OracleRequestError for any other error the service reports
 */
export function readQueryReply(bytes: Uint8Array, ctx: ReplyContext): { outputs: Float64Array; replica: string | undefined } {
  const { subject, rows, firstRow, outputDim } = ctx;
  let value: unknown;
  try {
    value = decode(bytes, subject);
  } catch (err) {
    throw new OracleAnswerError(`answer from ${subject} is not MessagePack: ${(err as Error).message}`, { row: firstRow }, { cause: err });
  }
  if (!isObject(value)) {
    throw new OracleAnswerError(`answer from ${subject} must be an object { outputs } or { error }`, { row: firstRow, value });
  }
  if (value.error !== undefined) throw errorFromBody(value.error, ctx);
  const { outputs } = value;
  if (!(outputs instanceof Float64Array)) {
    throw new OracleAnswerError(`answer from ${subject}: outputs must be a Float64Array`, { row: firstRow, value: outputs });
  }
  const expected = rows * outputDim;
  if (outputs.length !== expected) {
    const row = firstRow + (outputs.length < expected ? Math.floor(outputs.length / outputDim) : rows);
    throw new OracleAnswerError(
      `answer from ${subject} has ${outputs.length} values, expected rows (${rows}) x outputDim (${outputDim}) = ${expected}`,
      { row },
    );
  }
  assertFiniteOutputs(outputs, outputDim, firstRow);
  const replica = typeof value.replica === 'string' && REPLICA.test(value.replica) ? value.replica : undefined;
  return { outputs, replica };
}

/** The typed error an error reply stands for. */
function errorFromBody(body: unknown, ctx: ReplyContext): Error {
  const b = isObject(body) ? body : {};
  const name = typeof b.name === 'string' ? b.name : 'Error';
  const message = typeof b.message === 'string' ? b.message : '(no message)';
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (b.budget === true && count(b.limit) && count(b.used) && count(b.requested)) {
    return new QueryBudgetExceededError(b.limit, b.used, b.requested);
  }
  if (name === 'OracleAnswerError') {
    const row = ctx.firstRow + (count(b.row) ? b.row : 0);
    return new OracleAnswerError(`the black box behind ${ctx.subject} answered badly: ${message}`, {
      row,
      ...(count(b.column) ? { column: b.column } : {}),
    });
  }
  return new OracleRequestError(`oracle service on ${ctx.subject} answered ${name}: ${message}`, {
    url: ctx.subject,
    attempts: ctx.attempts,
    failure: RequestFailure.status,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
