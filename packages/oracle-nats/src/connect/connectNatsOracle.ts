import { nuid } from '@nats-io/transport-node';
import { assertQueryInputs, OracleClosedError, OracleRequestError, RequestFailure, type Oracle } from '@relurec/oracle';
import { decode, encode } from '@relurec/protocol';
import type { NatsConnectionOptions } from '../NatsConnectionOptions.js';
import { nonNegativeInteger, nonNegativeNumber, positiveInteger } from '../internal/checkOption.js';
import { openNatsConnection } from '../internal/openNatsConnection.js';
import { rowsPerRequest } from '../internal/rowsPerRequest.js';
import { MAX_ROWS_PER_REQUEST, type OracleInfo, type OracleQueryRequest } from '../messages/OracleMessages.js';
import { oracleSubjects } from '../subjects/oracleSubjects.js';
import { readQueryReply } from './internal/readQueryReply.js';
import { requestWithRetries, type NatsRetryPolicy } from './internal/requestWithRetries.js';

export interface NatsOracleOptions extends NatsConnectionOptions {
  /** Name of the oracle service (`relurec.oracle.<name>`). Default 'default'. */
  readonly name?: string;
  /** Time limit of one request in ms (an integer). Default 30000. */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout, no responders or connection error (so at most retries + 1 per request). Default 5. */
  readonly retries?: number;
  /** Wait in ms before the first retry, doubled before each further one, capped by maxDelayMs. Default 200. */
  readonly baseDelayMs?: number;
  /** Cap in ms on a wait between attempts. Default 10000. */
  readonly maxDelayMs?: number;
}

/** The cluster's black box, reached over NATS request/reply. */
export interface NatsOracle extends Oracle {
  /** The service name. */
  readonly name: string;
  /** The query subject, `relurec.oracle.<name>.query`. */
  readonly subject: string;
  /** NATS requests sent so far, the info request and retries included. */
  readonly requests: number;
}

const DEFAULTS = { timeoutMs: 30_000, retries: 5, baseDelayMs: 200, maxDelayMs: 10_000 } as const;

/**
 * Connects to the oracle service `name` (serveOracleOverNats) and returns it as an {@link Oracle}
 * for workers. Asks `relurec.oracle.<name>.info` for the dimensions first.
 *
 * A batch larger than one message allows (900 kB, or 90% of the server's max_payload) is split into
 * requests of equal rows, sent one after another and reassembled in order; the first request reserves
 * the whole batch against the service's budget, the rest go to the replica that took it. Timeouts,
 * no responders and connection errors are retried `retries` times with exponential backoff, then
 * rejected with OracleRequestError { url: the subject, attempts, failure }. A budget refusal rejects with
 * QueryBudgetExceededError; an answer that is malformed or holds NaN/Inf with OracleAnswerError naming
 * the row of the whole batch; any other error the service reports with OracleRequestError (not retried).
 * `close()` drains the connection; queries after it reject with OracleClosedError.
 * @throws TypeError/RangeError naming a bad option; BusConnectionError when NATS cannot be reached;
 *   OracleRequestError 'no oracle service on relurec.oracle.<name> (start `relurec oracle --nats URL --target ...`) ...'
 *   when no replica answers the info request
 */
export async function connectNatsOracle(options: NatsOracleOptions = {}): Promise<NatsOracle> {
  if (typeof options !== 'object' || options === null) throw new TypeError('connectNatsOracle options must be an object');
  const name = options.name ?? 'default';
  const subjects = oracleSubjects(name);
  const policy: NatsRetryPolicy = {
    timeoutMs: positiveInteger(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs'),
    retries: nonNegativeInteger(options.retries, DEFAULTS.retries, 'retries'),
    baseDelayMs: nonNegativeNumber(options.baseDelayMs, DEFAULTS.baseDelayMs, 'baseDelayMs'),
    maxDelayMs: nonNegativeNumber(options.maxDelayMs, DEFAULTS.maxDelayMs, 'maxDelayMs'),
  };
  const nc = await openNatsConnection(options, 'relurec-oracle-client');
  const closer = new AbortController();
  let requests = 0;
  const onAttempt = (): void => {
    requests++;
  };

  let info: OracleInfo;
  try {
    const { msg, attempts } = await requestWithRetries(
      { nc, subject: () => subjects.info, data: new Uint8Array(0), service: subjects.service, closeSignal: closer.signal, onAttempt },
      policy,
    );
    info = readInfo(msg.data, subjects.info, attempts);
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
  const { inputDim, outputDim } = info;

  async function query(inputs: Float64Array, rows: number): Promise<Float64Array> {
    if (closer.signal.aborted) throw new OracleClosedError();
    assertQueryInputs(inputs, rows, inputDim);
    const out = new Float64Array(rows * outputDim);
    if (rows === 0) return out;
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    const per = rowsPerRequest(inputDim, outputDim, maxPayload, MAX_ROWS_PER_REQUEST);
    if (per < 1) {
      throw new OracleRequestError(
        `one row (inputDim ${inputDim}, outputDim ${outputDim} float64 values) does not fit a NATS message (max_payload ${maxPayload} bytes); raise max_payload`,
        { url: subjects.query, attempts: 0, failure: RequestFailure.network },
      );
    }
    const batchId = rows > per ? nuid.next() : undefined;
    let replica: string | undefined;
    for (let start = 0; start < rows; start += per) {
      const k = Math.min(per, rows - start);
      const request: OracleQueryRequest = {
        inputs: inputs.subarray(start * inputDim, (start + k) * inputDim),
        rows: k,
        ...(batchId === undefined ? {} : { batch: { id: batchId, rows: rows - start } }),
      };
      // Later parts of a split batch go to the replica that holds the batch's reservation; after a
      // failure they fall back to the queue group (another replica charges the rest afresh).
      const sticky = replica;
      const subject = (attempt: number): string => (attempt === 1 && sticky !== undefined ? subjects.replica(sticky) : subjects.query);
      const sent = await requestWithRetries(
        { nc, subject, data: encode(request), service: subjects.service, closeSignal: closer.signal, onAttempt },
        policy,
      );
      const answer = readQueryReply(sent.msg.data, { subject: sent.subject, rows: k, firstRow: start, outputDim, attempts: sent.attempts });
      out.set(answer.outputs, start * outputDim);
      replica = answer.replica;
    }
    return out;
  }

  let closed: Promise<void> | undefined;
  return Object.freeze({
    name,
    subject: subjects.query,
    inputDim,
    outputDim,
    get requests() {
      return requests;
    },
    query,
    close(): Promise<void> {
      closer.abort();
      closed ??= nc.isClosed() ? Promise.resolve() : nc.drain().catch(() => undefined);
      return closed;
    },
  });
}

/** The dimensions of an info answer. @throws OracleRequestError (failure 'answer') naming the bad field */
function readInfo(bytes: Uint8Array, subject: string, attempts: number): OracleInfo {
  const bad = (detail: string, cause?: unknown): OracleRequestError =>
    new OracleRequestError(`bad answer from ${subject}: ${detail}`, { url: subject, attempts, failure: RequestFailure.answer }, { cause });
  let value: unknown;
  try {
    value = decode(bytes, subject);
  } catch (err) {
    throw bad((err as Error).message, err);
  }
  const { inputDim, outputDim } = (value ?? {}) as { inputDim?: unknown; outputDim?: unknown };
  for (const [field, v] of [['inputDim', inputDim], ['outputDim', outputDim]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw bad(`${field} must be a positive integer, got ${String(v)}`);
  }
  return { inputDim: inputDim as number, outputDim: outputDim as number };
}
