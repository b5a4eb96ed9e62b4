import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Oracle } from '../Oracle.js';
import { assertAnswerShape } from '../check/assertAnswerShape.js';
import { OracleAnswerError } from '../errors/OracleAnswerError.js';
import { OracleClosedError } from '../errors/OracleClosedError.js';
import { OracleRequestError } from '../errors/OracleRequestError.js';
import { QueryBudgetExceededError } from '../errors/QueryBudgetExceededError.js';
import { assertOracle } from '../internal/assertOracle.js';
import { nonNegativeInteger, nonNegativeNumber, positiveInteger } from '../internal/checkOption.js';
import { encodeRows } from '../internal/encodeRows.js';
import { readBody } from '../internal/readBody.js';

export interface OracleServerOptions {
  /** Delay in ms before each answer (every request, errors included); simulates a remote API. Default 0. */
  latencyMs?: number;
  /** Interface to listen on. Default '127.0.0.1' (this machine only). */
  host?: string;
  /** TCP port; 0 lets the system pick a free one. Default 0. */
  port?: number;
  /** Most rows accepted in one POST /query; more is a 400. Default 10000. */
  maxBatch?: number;
  /** Largest request body in bytes; more is a 413. Default 1 MiB + 64 bytes per input value of a maxBatch-row request. */
  maxBodyBytes?: number;
}

/** A running oracle server. */
export interface OracleServer {
  /** Base URL to hand to connectHttpOracle, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port listened on (the picked one when options.port was 0). */
  readonly port: number;
  /** Rows answered so far (one row = one query); refused requests count nothing. */
  readonly queries: number;
  /** HTTP requests received so far, any path or method. */
  readonly requests: number;
  /**
   * Stops accepting connections, closes idle ones, and resolves once requests in flight are answered.
   * Does not close the oracle (the caller owns it). Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Serves an oracle over the HTTP oracle protocol (SYSTEM.md): `GET /info` -> `{"inputDim", "outputDim"}`,
 * `POST /query` `{"inputs": [[...], ...]}` -> `{"outputs": [[...], ...]}`. Requests are validated:
 * 400 with `{"error": "..."}` naming what is wrong (not JSON, no inputs array, a row of the wrong
 * length, a non-finite value, more than maxBatch rows), 413 for an oversized body, 404 for other
 * paths, 405 for other methods. A spent budget of the oracle is a 403 carrying
 * `{"type": "QueryBudgetExceededError", budget, used, requested}`; a failing or NaN-answering oracle a 502.
 * @throws TypeError/RangeError naming the option; the listen error (e.g. EADDRINUSE) when the port is taken
 */
export async function createOracleServer(oracle: Oracle, options: OracleServerOptions = {}): Promise<OracleServer> {
  assertOracle(oracle, 'oracle');
  const { inputDim, outputDim } = oracle;
  const latencyMs = nonNegativeNumber(options.latencyMs, 0, 'latencyMs');
  const maxBatch = positiveInteger(options.maxBatch, 10_000, 'maxBatch');
  const maxBodyBytes = positiveInteger(options.maxBodyBytes, 2 ** 20 + 64 * maxBatch * (inputDim + 2), 'maxBodyBytes');
  const port = nonNegativeInteger(options.port, 0, 'port');
  if (port > 65535) throw new RangeError(`options.port must be at most 65535, got ${port}`);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new TypeError(`options.host must be a non-empty string, got ${String(host)}`);

  let queries = 0, requests = 0, closing = false;
  let closed: Promise<void> | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/info' && path !== '/query') return reply(res, 404, { error: `no such path ${path}; use GET /info or POST /query` });
    const allowed = path === '/info' ? 'GET' : 'POST';
    if (req.method !== allowed) {
      res.setHeader('allow', allowed);
      return reply(res, 405, { error: `${path} takes ${allowed}, not ${req.method}` });
    }
    if (path === '/info') {
      await delay(latencyMs);
      return reply(res, 200, { inputDim, outputDim });
    }
    const text = await readBody(req, maxBodyBytes);
    await delay(latencyMs);
    if (text === undefined) {
      res.setHeader('connection', 'close');
      return reply(res, 413, { error: `body is larger than ${maxBodyBytes} bytes (options.maxBodyBytes)` });
    }
    const parsed = parseInputs(text, inputDim, maxBatch);
    if (typeof parsed === 'string') return reply(res, 400, { error: parsed });
    let outputs: Float64Array;
    try {
      outputs = await oracle.query(parsed.inputs, parsed.rows);
      assertAnswerShape(outputs, parsed.rows, outputDim);
    } catch (err) {
      return replyOracleError(res, err);
    }
    queries += parsed.rows;
    replyText(res, 200, `{"outputs":${encodeRows(outputs, parsed.rows, outputDim)}}`);
  }

  function replyText(res: ServerResponse, status: number, text: string): void {
    // Once closing, tell keep-alive clients to go, so that close() does not wait on idle sockets.
    if (closing) res.setHeader('connection', 'close');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function reply(res: ServerResponse, status: number, body: object): void {
    replyText(res, status, JSON.stringify(body));
  }

  function replyOracleError(res: ServerResponse, err: unknown): void {
    if (err instanceof QueryBudgetExceededError) {
      const { budget, used, requested } = err;
      return reply(res, 403, { error: err.message, type: err.name, budget, used, requested });
    }
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof OracleClosedError) return reply(res, 503, { error: message });
    if (err instanceof OracleAnswerError || err instanceof OracleRequestError) return reply(res, 502, { error: message });
    reply(res, 500, { error: message });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return Object.freeze({
    url: `http://${urlHost(host, address.family)}:${address.port}`,
    port: address.port,
    get queries() {
      return queries;
    },
    get requests() {
      return requests;
    },
    close(): Promise<void> {
      closing = true;
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
      return closed;
    },
  });
}

/** Parses and checks a /query body; returns the batch, or the 400 error message. */
function parseInputs(text: string, inputDim: number, maxBatch: number): { inputs: Float64Array; rows: number } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return `body is not JSON (${(err as Error).message})`;
  }
  const rowsIn = (body as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(rowsIn)) return 'body must be an object {"inputs": [[...], ...]} with an inputs array';
  const rows = rowsIn.length;
  if (rows > maxBatch) return `too many rows: ${rows} > maxBatch ${maxBatch}; split the batch`;
  const inputs = new Float64Array(rows * inputDim);
  for (let r = 0; r < rows; r++) {
    const row: unknown = rowsIn[r];
    if (!Array.isArray(row)) return `inputs[${r}] is not an array`;
    if (row.length !== inputDim) return `inputs[${r}] has ${row.length} values, expected inputDim ${inputDim}`;
    for (let j = 0; j < inputDim; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        // 1e999 parses to Infinity, which JSON.stringify would print as null.
        const shown = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? 'undefined');
        return `inputs[${r}][${j}] is ${shown}, not a finite number`;
      }
      inputs[r * inputDim + j] = v;
    }
  }
  return { inputs, rows };
}

/** The host part of the URL a client on this machine uses: wildcard addresses become loopback. */
function urlHost(host: string, family: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return family === 'IPv6' && host.includes(':') ? `[${host}]` : host;
}
