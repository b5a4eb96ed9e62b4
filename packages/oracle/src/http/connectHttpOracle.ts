import type { Oracle } from '../Oracle.js';
import { assertFiniteOutputs } from '../check/assertFiniteOutputs.js';
import { assertQueryInputs } from '../check/assertQueryInputs.js';
import { OracleClosedError } from '../errors/OracleClosedError.js';
import { nonNegativeInteger, nonNegativeNumber, positiveInteger } from '../internal/checkOption.js';
import { createHttpClient } from '../internal/createHttpClient.js';
import { encodeRows } from '../internal/encodeRows.js';
import { requestWithRetries, type RetryPolicy } from '../internal/requestWithRetries.js';

export interface HttpOracleOptions {
  /** Rows per POST /query request; a larger batch is split and the answers concatenated in order. Default 1000. */
  maxBatch?: number;
  /** Time limit of one request in ms (an integer), from sending to the last byte of the answer. Default 30000. */
  timeoutMs?: number;
  /** Further attempts after a failed request (so at most retries + 1 requests per call). Default 4. */
  retries?: number;
  /** Wait in ms before the first retry, doubled before each further one, capped by maxDelayMs. Default 200. */
  baseDelayMs?: number;
  /** Cap in ms on a wait between attempts, also on a server's Retry-After. Default 10000. */
  maxDelayMs?: number;
  /** Headers sent with every request, e.g. `{ Authorization: 'Bearer KEY' }` (see parseHeaderOption). Default none. */
  headers?: Readonly<Record<string, string>>;
}

/** A remote black box spoken to over the HTTP oracle protocol (SYSTEM.md). */
export interface HttpOracle extends Oracle {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  /** HTTP requests sent so far, GET /info and retries included. */
  readonly requests: number;
}

const DEFAULTS = { maxBatch: 1000, timeoutMs: 30_000, retries: 4, baseDelayMs: 200, maxDelayMs: 10_000 } as const;

/**
 * Connects to an HTTP oracle: fetches `GET {base}/info` (`{"inputDim": n0, "outputDim": m}`), then
 * answers queries with `POST {base}/query` (`{"inputs": [[...], ...]}` -> `{"outputs": [[...], ...]}`).
 * Float64 values cross JSON exactly (shortest round-trip decimal), except that -0 arrives as 0.
 *
 * Non-2xx answers, timeouts, network errors, answers that are not JSON, have the wrong number of rows
 * or columns, or hold a non-finite value (null, "NaN", 1e999) are retried `retries` times with
 * exponential backoff, then rejected with `OracleRequestError { url, attempts, failure, status }`.
 * A 4xx other than 408/429 fails at once. A server reporting its own spent budget
 * (`{"type": "QueryBudgetExceededError", budget, used, requested}`) rejects with QueryBudgetExceededError.
 * Chunks of a split batch are sent one after another; row numbers in answer errors count within the
 * failing request. `close()` aborts requests in flight.
 * @throws TypeError/RangeError naming baseUrl or the option when an argument is bad; OracleRequestError when /info fails
 */
export async function connectHttpOracle(baseUrl: string | URL, options: HttpOracleOptions = {}): Promise<HttpOracle> {
  const base = parseBaseUrl(baseUrl);
  const maxBatch = positiveInteger(options.maxBatch, DEFAULTS.maxBatch, 'maxBatch');
  const policy: RetryPolicy = {
    timeoutMs: positiveInteger(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs'),
    retries: nonNegativeInteger(options.retries, DEFAULTS.retries, 'retries'),
    baseDelayMs: nonNegativeNumber(options.baseDelayMs, DEFAULTS.baseDelayMs, 'baseDelayMs'),
    maxDelayMs: nonNegativeNumber(options.maxDelayMs, DEFAULTS.maxDelayMs, 'maxDelayMs'),
  };
  const client = createHttpClient(base, checkHeaders(options.headers));
  const info = endpoint(base, 'info'), query = endpoint(base, 'query');
  const closer = new AbortController();
  let requests = 0;
  const onAttempt = (): void => {
    requests++;
  };

  const { inputDim, outputDim } = await requestWithRetries(
    { client, ...info, method: 'GET', decode: decodeInfo, closeSignal: closer.signal, onAttempt },
    policy,
  );

  async function queryChunk(inputs: Float64Array, rows: number, out: Float64Array, outOffset: number): Promise<void> {
    const body = `{"inputs":${encodeRows(inputs, rows, inputDim)}}`;
    const decode = (json: unknown): void => {
      const outputs = (json as { outputs?: unknown } | null)?.outputs;
      if (!Array.isArray(outputs)) throw new Error(`answer has no "outputs" array`);
      if (outputs.length !== rows) throw new Error(`answer has ${outputs.length} rows, expected ${rows}`);
      for (let r = 0; r < rows; r++) {
        const row: unknown = outputs[r];
        if (!Array.isArray(row)) throw new Error(`answer row ${r} is not an array`);
        if (row.length !== outputDim) throw new Error(`answer row ${r} has ${row.length} values, expected ${outputDim}`);
        assertFiniteOutputs(row, outputDim, r);
        out.set(row as number[], outOffset + r * outputDim);
      }
    };
    await requestWithRetries({ client, ...query, method: 'POST', body, decode, closeSignal: closer.signal, onAttempt }, policy);
  }

  return Object.freeze({
    url: base.href.replace(/\/+$/, ''),
    inputDim,
    outputDim,
    get requests() {
      return requests;
    },
    async query(inputs: Float64Array, rows: number): Promise<Float64Array> {
      if (closer.signal.aborted) throw new OracleClosedError();
      assertQueryInputs(inputs, rows, inputDim);
      const out = new Float64Array(rows * outputDim);
      for (let start = 0; start < rows; start += maxBatch) {
        const k = Math.min(maxBatch, rows - start);
        await queryChunk(inputs.subarray(start * inputDim, (start + k) * inputDim), k, out, start * outputDim);
      }
      return out;
    },
    async close(): Promise<void> {
      closer.abort();
      client.close();
    },
  });
}

function decodeInfo(json: unknown): { inputDim: number; outputDim: number } {
  const { inputDim, outputDim } = (json ?? {}) as { inputDim?: unknown; outputDim?: unknown };
  for (const [field, v] of [['inputDim', inputDim], ['outputDim', outputDim]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new Error(`info answer ${field} must be a positive integer, got ${JSON.stringify(v) ?? 'nothing'}`);
    }
  }
  return { inputDim: inputDim as number, outputDim: outputDim as number };
}

function parseBaseUrl(baseUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch (err) {
    throw new TypeError(`baseUrl must be an http(s) URL such as http://host:8080, got '${String(baseUrl)}'`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, got protocol '${url.protocol}'`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('baseUrl must not hold credentials; pass them in options.headers');
  }
  url.hash = '';
  return url;
}

/** `{base}/name` (the full URL, and the path and query string sent), keeping the base path and query string (some APIs take a key there). */
function endpoint(base: URL, name: string): { url: string; path: string } {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${name}`;
  return { url: url.href, path: `${url.pathname}${url.search}` };
}

function checkHeaders(headers: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (headers === undefined) return {};
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new TypeError('options.headers must be an object of header names to string values');
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`options.headers['${name}'] must be a string, got ${typeof value}`);
    try {
      new Headers([[name, value]]);
    } catch (err) {
      throw new TypeError(`options.headers['${name}'] is not a valid header (bad name, or a line break in the value)`, { cause: err });
    }
  }
  return { ...headers };
}
