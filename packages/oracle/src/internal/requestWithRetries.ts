import { setTimeout as delay } from 'node:timers/promises';
import { OracleClosedError } from '../errors/OracleClosedError.js';
import { OracleRequestError, RequestFailure } from '../errors/OracleRequestError.js';
import { QueryBudgetExceededError } from '../errors/QueryBudgetExceededError.js';
import { AnswerTimeoutError, type HttpClient } from './createHttpClient.js';

/** Retry policy and transport settings, already validated. */
export interface RetryPolicy {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface JsonRequest<T> {
  /** Kept-alive connections to the URL's origin (they carry the caller's headers). */
  readonly client: HttpClient;
  /** The full URL (named in errors) and its path and query string (sent). */
  readonly url: string;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  /** JSON text; sent with content-type application/json. */
  readonly body?: string;
  /** Turns the parsed answer into a value; throws (any Error) when the answer is unusable. */
  readonly decode: (json: unknown) => T;
  /** Aborts the request and any wait between attempts: the oracle was closed. */
  readonly closeSignal: AbortSignal;
  /** Called once per request sent. */
  readonly onAttempt: () => void;
}

// Node timers fire at once (with a warning) beyond 2^31 - 1 ms, so longer waits are clamped to it (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Failure {
  readonly failure: RequestFailure;
  /** What went wrong, first word(s) of the final message: 'HTTP 500', 'bad answer', ... */
  readonly reason: string;
  readonly detail?: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

/**
 * Sends one JSON request, retrying failures with exponential backoff: non-2xx (except 4xx other than
 * 408/429, which fail at once), timeouts, network errors and answers `decode` rejects.
 * @throws OracleRequestError after the last attempt; OracleClosedError when closed meanwhile;
 *   QueryBudgetExceededError when the server reports its own budget spent
 */
export async function requestWithRetries<T>(request: JsonRequest<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (request.closeSignal.aborted) throw new OracleClosedError();
    const result = await attemptOnce(request, policy);
    if (result.ok) return result.value;
    const f = result.failure;
    if (!f.retryable || attempt > policy.retries) {
      const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
      const notRetried = f.retryable ? '' : ' (not retried: this answer will not change)';
      throw new OracleRequestError(
        `${f.reason} from ${request.url} after ${tries}${notRetried}${f.detail ? `: ${f.detail}` : ''}`,
        { url: request.url, attempts: attempt, failure: f.failure, status: f.status },
        { cause: f.cause },
      );
    }
    const backoff = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
    const wait = Math.min(Math.max(backoff, f.retryAfterMs ?? 0), policy.maxDelayMs, MAX_TIMER_MS);
    try {
      await delay(wait, undefined, { signal: request.closeSignal });
    } catch (err) {
      throw new OracleClosedError('oracle closed while waiting to retry', { cause: err });
    }
  }
}

async function attemptOnce<T>(request: JsonRequest<T>, policy: RetryPolicy): Promise<Attempt<T>> {
  const { client, method, path, body, closeSignal: signal } = request;
  let status: number, text: string, retryAfter: string | null;
  try {
    request.onAttempt();
    ({ status, retryAfter, text } = await client.send({ method, path, body, signal, timeoutMs: Math.min(Math.ceil(policy.timeoutMs), MAX_TIMER_MS) }));
  } catch (err) {
    if (request.closeSignal.aborted) throw new OracleClosedError('oracle closed while a request was in flight', { cause: err });
    if (err instanceof AnswerTimeoutError) {
      return fail({ failure: RequestFailure.timeout, reason: `no answer within ${policy.timeoutMs} ms`, retryable: true, cause: err });
    }
    return fail({ failure: RequestFailure.network, reason: `network error (${describeNetworkError(err)})`, retryable: true, cause: err });
  }
  if (status < 200 || status > 299) {
    const body = parseJsonOrUndefined(text);
    const budgetError = budgetErrorFrom(body);
    if (budgetError) throw budgetError;
    const retryable = status < 400 || status > 499 || status === 408 || status === 429;
    return fail({
      failure: RequestFailure.status,
      reason: `HTTP ${status}`,
      detail: describeErrorBody(body, text),
      status,
      retryable,
      retryAfterMs: parseRetryAfter(retryAfter),
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const start = text.trim().slice(0, 40);
    return fail({ failure: RequestFailure.answer, reason: 'bad answer', detail: `answer is not JSON (starts ${JSON.stringify(start)})`, status, retryable: true, cause: err });
  }
  try {
    return { ok: true, value: request.decode(json) };
  } catch (err) {
    return fail({ failure: RequestFailure.answer, reason: 'bad answer', detail: (err as Error).message, status, retryable: true, cause: err });
  }
}

function fail(failure: Failure): Attempt<never> {
  return { ok: false, failure };
}

function describeNetworkError(err: unknown): string {
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `{ error }` of an error body, or its first 200 characters. */
function describeErrorBody(body: unknown, text: string): string | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error === 'string' && error !== '') return error;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}...` : trimmed;
}

/** A server that enforces its own budget says so with `{ type: 'QueryBudgetExceededError', budget, used, requested }`. */
function budgetErrorFrom(body: unknown): QueryBudgetExceededError | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { type, budget, used, requested } = body as Record<string, unknown>;
  if (type !== 'QueryBudgetExceededError') return undefined;
  if (typeof budget !== 'number' || typeof used !== 'number' || typeof requested !== 'number') return undefined;
  return new QueryBudgetExceededError(budget, used, requested);
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
