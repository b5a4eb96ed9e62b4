import { setTimeout as delay } from 'node:timers/promises';
import { errors, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { OracleClosedError, OracleRequestError, RequestFailure } from '@relurec/oracle';

/** Retry policy, already validated. */
export interface NatsRetryPolicy {
  /** Time limit of one request in ms. */
  readonly timeoutMs: number;
  /** Further attempts after a failed one. */
  readonly retries: number;
  /** Wait before the first retry in ms, doubled before each further one, capped by maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface NatsRequest {
  readonly nc: NatsConnection;
  /** The subject of attempt `attempt` (1-based): a split batch's later parts try their replica first. */
  readonly subject: (attempt: number) => string;
  readonly data: Uint8Array;
  /** `relurec.oracle.<name>`, for the no-service message. */
  readonly service: string;
  /** Aborts waits between attempts: the oracle was closed. */
  readonly closeSignal: AbortSignal;
  /** Called once per request sent. */
  readonly onAttempt: () => void;
}

interface Failure {
  readonly failure: RequestFailure;
  readonly retryable: boolean;
  readonly noResponders: boolean;
  readonly cause: unknown;
}

/** The message of the error when nobody serves the oracle. */
export function noServiceMessage(service: string): string {
  return `no oracle service on ${service} (start \`relurec oracle --nats URL --target ...\`)`;
}

/**
 * Sends one request, retrying with exponential backoff on timeouts, no responders (no replica
 * subscribed: the service is down or restarting) and connection errors.
 * @returns the reply, the number of attempts it took and the subject of the last one
 * @throws OracleRequestError after the last attempt (or at once for a permission error or an
 *   oversized payload), naming the subject; OracleClosedError when the oracle was closed meanwhile
 */
export async function requestWithRetries(request: NatsRequest, policy: NatsRetryPolicy): Promise<{ msg: Msg; attempts: number; subject: string }> {
  for (let attempt = 1; ; attempt++) {
    if (request.closeSignal.aborted) throw new OracleClosedError();
    const subject = request.subject(attempt);
    let failure: Failure;
    try {
      request.onAttempt();
      const msg = await request.nc.request(subject, request.data, { timeout: policy.timeoutMs });
      return { msg, attempts: attempt, subject };
    } catch (err) {
      if (request.closeSignal.aborted) throw new OracleClosedError('oracle closed while a request was in flight', { cause: err });
      failure = classify(err);
    }
    if (!failure.retryable || attempt > policy.retries) {
      const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
      const message = failure.noResponders
        ? `${noServiceMessage(request.service)}: no responders on ${subject} after ${tries}`
        : failure.failure === RequestFailure.timeout
          ? `no answer within ${policy.timeoutMs} ms from ${subject} after ${tries}`
          : `request to ${subject} failed after ${tries}${failure.retryable ? '' : ' (not retried)'}: ${(failure.cause as Error)?.message ?? String(failure.cause)}`;
      throw new OracleRequestError(message, { url: subject, attempts: attempt, failure: failure.failure }, { cause: failure.cause });
    }
    const wait = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
    try {
      await delay(wait, undefined, { signal: request.closeSignal });
    } catch (err) {
      throw new OracleClosedError('oracle closed while waiting to retry', { cause: err });
    }
  }
}

function classify(err: unknown): Failure {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (err instanceof errors.TimeoutError) return { failure: RequestFailure.timeout, retryable: true, noResponders: false, cause: err };
  if (err instanceof errors.NoRespondersError || cause instanceof errors.NoRespondersError) {
    return { failure: RequestFailure.network, retryable: true, noResponders: true, cause: err };
  }
  // An oversized payload, a denied subject or a connection closed for good will not change on retry.
  const permanent = [errors.InvalidArgumentError, errors.PermissionViolationError, errors.AuthorizationError, errors.ClosedConnectionError];
  const retryable = !permanent.some((kind) => err instanceof kind || cause instanceof kind);
  return { failure: RequestFailure.network, retryable, noResponders: false, cause: err };
}
