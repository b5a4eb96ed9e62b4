import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { nuid } from '@nats-io/transport-node';
import { assertAnswerShape, QueryBudgetExceededError, type Oracle } from '@relurec/oracle';
import { encode, MalformedMessageError } from '@relurec/protocol';
import type { NatsConnectionOptions } from '../NatsConnectionOptions.js';
import { openNatsConnection } from '../internal/openNatsConnection.js';
import type { OracleInfo, OracleQueryReply, OracleQueryRequest } from '../messages/OracleMessages.js';
import { validateQueryRequest } from '../messages/validateQueryRequest.js';
import { ORACLE_QUEUE, oracleSubjects } from '../subjects/oracleSubjects.js';
import { BudgetLedger } from './internal/BudgetLedger.js';
import { errorBody } from './internal/errorBody.js';

export interface ServeOracleOptions extends NatsConnectionOptions {
  /** The black box to serve. stop() does not close it (the caller owns it). */
  readonly oracle: Oracle;
  /** Service name: the subjects are `relurec.oracle.<name>.info` and `.query`. One subject token. Default 'default'. */
  readonly name?: string;
  /**
   * Hard limit on the rows (queries) this replica lets through to the black box; a non-negative
   * integer or Infinity. Each replica counts its own rows: for an exact run budget serve one replica.
   * Default Infinity (count only).
   */
  readonly budget?: number;
  /** Receives one line per notable event: start, stop, refused or malformed requests, oracle failures. Default: none. */
  readonly log?: (message: string) => void;
}

/** A running oracle service replica. */
export interface OracleService {
  /** The service name. */
  readonly name: string;
  /** The query subject, `relurec.oracle.<name>.query`. */
  readonly subject: string;
  /** The info subject, `relurec.oracle.<name>.info`. */
  readonly infoSubject: string;
  /** This replica's id (the last token of its own subject `relurec.oracle.<name>.query.<replica>`). */
  readonly replica: string;
  /** The budget in rows; Infinity when unlimited. */
  readonly budget: number;
  /**
   * Rows counted so far (one row = one query): rows answered, plus the reserved rest of split batches
   * still in progress. Refused and malformed requests count nothing. Never exceeds `budget`.
   */
  readonly queries: number;
  /** Query requests received so far, refused and malformed ones included. */
  readonly requests: number;
  /** Stops taking requests, answers those in flight, and closes the NATS connection. Safe to call twice. */
  stop(): Promise<void>;
}

/** An unfinished split batch's reservation is forgotten after 10 minutes (its rows stay counted). */
const RESERVATION_TTL_MS = 10 * 60_000;
/** Room kept for the MessagePack envelope of an answer (map keys, replica id, typed-array header). */
const ANSWER_OVERHEAD_BYTES = 1024;
/** How long stop() waits for a drain before it closes the connection outright. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * Serves a black box over NATS request/reply (SYSTEM.md: the oracle, the only door to the black box,
 * counts every query and enforces the run's query budget). Every replica joins the queue group
 * `relurec-oracle` on
 * - `relurec.oracle.<name>.info`: any request -> `{ inputDim, outputDim }`;
 * - `relurec.oracle.<name>.query`: MessagePack `{ inputs: Float64Array, rows, batch? }` ->
 *   `{ outputs: Float64Array, replica }` or `{ error: { name, message, budget, ... } }`;
 * and also listens alone on `relurec.oracle.<name>.query.<replica>` for the rest of split batches.
 *
 * Every request is checked (validateQueryRequest): a malformed one is answered with a
 * MalformedMessageError naming the field and counts nothing. A batch that would cross the budget is
 * refused whole with a QueryBudgetExceededError (`budget: true`, limit, used, requested) before it
 * reaches the box. Rows are counted when accepted, before the box answers (as createBudgetedOracle),
 * so concurrent requests cannot jointly cross the budget. Answers are checked (assertAnswerShape): a
 * NaN from the box goes back as an OracleAnswerError with its row and column.
 * @throws TypeError/RangeError naming a bad option; BusConnectionError when NATS cannot be reached
 */
export async function serveOracleOverNats(options: ServeOracleOptions): Promise<OracleService> {
  if (typeof options !== 'object' || options === null) throw new TypeError('serveOracleOverNats options must be an object');
  const { oracle } = options;
  assertOracle(oracle);
  const name = options.name ?? 'default';
  const subjects = oracleSubjects(name);
  const budget = options.budget ?? Infinity;
  if (!(budget === Infinity || (Number.isSafeInteger(budget) && budget >= 0))) {
    throw new RangeError(`options.budget must be a non-negative integer or Infinity (rows), got ${options.budget}`);
  }
  if (options.log !== undefined && typeof options.log !== 'function') throw new TypeError('options.log must be a function');
  const log = options.log ?? ((): void => undefined);
  const { inputDim, outputDim } = oracle;
  const replica = nuid.next();
  const ledger = new BudgetLedger(budget, RESERVATION_TTL_MS);
  const info: OracleInfo = { inputDim, outputDim };
  const infoBytes = encode(info);
  const inflight = new Set<Promise<void>>();
  let requests = 0;

  const nc = await openNatsConnection(options, 'relurec-oracle');

  function reply(msg: Msg, body: OracleQueryReply | OracleInfo): void {
    if (!msg.reply) {
      log(`oracle service ${name}: a request on ${msg.subject} has no reply subject; ignored`);
      return;
    }
    try {
      msg.respond(body === info ? infoBytes : encode(body));
    } catch (err) {
      log(`oracle service ${name}: could not answer on ${msg.subject}: ${(err as Error).message}`);
    }
  }

  /** Largest answer a client may ask for: it must fit the server's max_payload. */
  function checkAnswerFits(request: OracleQueryRequest, subject: string): void {
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    const maxRows = Math.max(1, Math.floor((maxPayload - ANSWER_OVERHEAD_BYTES) / (8 * outputDim)));
    if (request.rows > maxRows) {
      throw new MalformedMessageError(
        `malformed OracleQueryRequest on ${subject}: rows must be at most ${maxRows} so that the answer (rows x outputDim ${outputDim} float64) fits max_payload ${maxPayload} bytes (got ${request.rows})`,
        { field: 'rows', subject },
      );
    }
  }

  async function handleQuery(msg: Msg): Promise<void> {
    requests++;
    let request: OracleQueryRequest;
    try {
      request = validateQueryRequest(msg.data, inputDim, msg.subject);
      checkAnswerFits(request, msg.subject);
    } catch (err) {
      log(`oracle service ${name}: ${(err as Error).message}`);
      return reply(msg, { error: errorBody(err) });
    }
    const charge = ledger.charge(request.rows, request.batch);
    if (!charge.ok) {
      const refusal = new QueryBudgetExceededError(budget, charge.used, charge.requested);
      log(`oracle service ${name}: ${refusal.message}`);
      return reply(msg, { error: errorBody(refusal) });
    }
    let outputs: Float64Array;
    try {
      outputs = await oracle.query(request.inputs, request.rows);
      assertAnswerShape(outputs, request.rows, outputDim);
    } catch (err) {
      log(`oracle service ${name}: the oracle failed on a batch of ${request.rows} rows: ${(err as Error)?.message ?? String(err)}`);
      return reply(msg, { error: errorBody(err) });
    }
    reply(msg, { outputs, replica });
  }

  const onQuery = (err: Error | null, msg: Msg): void => {
    if (err) {
      log(`oracle service ${name}: subscription error: ${err.message}`);
      return;
    }
    const done = handleQuery(msg).catch((e: unknown) => log(`oracle service ${name}: ${(e as Error)?.message ?? String(e)}`));
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  };

  let subs: Subscription[];
  try {
    subs = [
      nc.subscribe(subjects.info, {
        queue: ORACLE_QUEUE,
        callback: (err, msg) => (err ? log(`oracle service ${name}: subscription error: ${err.message}`) : reply(msg, info)),
      }),
      nc.subscribe(subjects.query, { queue: ORACLE_QUEUE, callback: onQuery }),
      nc.subscribe(subjects.replica(replica), { callback: onQuery }),
    ];
    // A subscription is live once the server has processed it: a client that asks right after
    // this function returns must find the service.
    await nc.flush();
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
  const budgetText = budget === Infinity ? 'no budget' : `budget ${budget} rows`;
  log(`oracle service ${name} (replica ${replica}) on ${subjects.service}.{info,query}: inputDim ${inputDim}, outputDim ${outputDim}, ${budgetText}`);

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    await withTimeout(Promise.allSettled(subs.map((s) => s.drain())), STOP_TIMEOUT_MS);
    await withTimeout(Promise.allSettled([...inflight]), STOP_TIMEOUT_MS);
    if (!nc.isClosed()) {
      await withTimeout(nc.drain().catch(() => undefined), STOP_TIMEOUT_MS);
      if (!nc.isClosed()) await nc.close().catch(() => undefined);
    }
    log(`oracle service ${name} (replica ${replica}) stopped after ${requests} requests, ${ledger.used} rows counted`);
  }

  return Object.freeze({
    name,
    subject: subjects.query,
    infoSubject: subjects.info,
    replica,
    budget,
    get queries() {
      return ledger.used;
    },
    get requests() {
      return requests;
    },
    stop(): Promise<void> {
      stopped ??= stop();
      return stopped;
    },
  });
}

function assertOracle(value: Oracle): void {
  if (value === null || typeof value !== 'object' || typeof value.query !== 'function' || typeof value.close !== 'function') {
    throw new TypeError('options.oracle must be an Oracle (with query and close methods)');
  }
  for (const dim of ['inputDim', 'outputDim'] as const) {
    if (!Number.isSafeInteger(value[dim]) || value[dim] < 1) {
      throw new RangeError(`options.oracle.${dim} must be a positive integer, got ${value[dim]}`);
    }
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
