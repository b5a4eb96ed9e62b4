import net from 'node:net';
import tls from 'node:tls';
import { ResponseParser, type HttpAnswer } from './ResponseParser.js';

/** The exchange took longer than its time limit (the connection was dropped). */
export class AnswerTimeoutError extends Error {
  override readonly name = 'AnswerTimeoutError';
}

/** One request: a path on the client's origin, extra header lines, an optional JSON body. */
export interface HttpExchange {
  readonly method: 'GET' | 'POST';
  /** Path and query string, e.g. `/v1/query?key=...`. */
  readonly path: string;
  /** JSON text; sent with content-type application/json. */
  readonly body?: string;
  readonly timeoutMs: number;
  /** Aborts the exchange (the connection is dropped); the promise rejects with the signal's reason. */
  readonly signal: AbortSignal;
}

/** Kept-alive HTTP/1.1 connections to one origin. */
export interface HttpClient {
  /**
   * Sends one request on an idle connection (or a new one) and reads the answer.
   * @throws AnswerTimeoutError; a network error (with `code`); MalformedAnswerError; the signal's reason
   */
  send(exchange: HttpExchange): Promise<HttpAnswer>;
  /** Drops every connection; later sends open new ones. */
  close(): void;
}

/**
 * A lean HTTP/1.1 client for the oracle protocol: one socket write per request (head and body
 * together), the answer read by ResponseParser, connections kept alive between requests and never
 * pipelined (one exchange per connection at a time, as many connections as exchanges in flight).
 * Idle connections do not keep the process alive and leave the pool when the server closes them.
 * Why not node:http: ~0.4 ms of CPU per small request against ~0.15 ms here, and a latency-bound
 * run sends thousands (bench/README.md, session 7). `headers` are already validated (no line breaks).
 */
export function createHttpClient(origin: URL, headers: Readonly<Record<string, string>>): HttpClient {
  const secure = origin.protocol === 'https:';
  const host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(origin.port) || (secure ? 443 : 80);
  // The fixed part of every head: defaults first, then the caller's headers (a name given twice, in
  // any case, keeps the caller's value), as node:http's setHeader would.
  const fixed = new Map<string, string>([['host', `Host: ${origin.host}`], ['accept', 'Accept: application/json']]);
  for (const [name, value] of Object.entries(headers)) fixed.set(name.toLowerCase(), `${name}: ${value}`);
  fixed.delete('content-type');
  fixed.delete('content-length');
  const headLines = [...fixed.values()].map((line) => `${line}\r\n`).join('');
  const idle: net.Socket[] = [];

  const connect = (): net.Socket => {
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) === 0 ? host : undefined, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    return socket;
  };

  const park = (socket: net.Socket): void => {
    const leave = (): void => {
      const i = idle.indexOf(socket);
      if (i >= 0) idle.splice(i, 1);
      socket.destroy();
    };
    socket.once('close', leave);
    socket.once('end', leave);
    socket.once('error', leave);
    socket.unref();
    idle.push(socket);
  };

  const take = (): net.Socket => {
    const socket = idle.pop();
    if (socket === undefined) return connect();
    socket.removeAllListeners('close').removeAllListeners('end').removeAllListeners('error');
    socket.ref();
    return socket;
  };

  return {
    send({ method, path, body, timeoutMs, signal }) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const socket = take();
      return new Promise<HttpAnswer>((resolve, reject) => {
        const parser = new ResponseParser();
        const finish = (err: unknown, answer?: HttpAnswer): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          socket.removeListener('data', onData).removeListener('end', onEnd).removeListener('error', onError).removeListener('close', onClose);
          if (answer !== undefined && answer.keepAlive && !socket.destroyed) park(socket);
          else socket.destroy();
          if (answer !== undefined) resolve(answer);
          else reject(err);
        };
        const onData = (data: Buffer): void => {
          let answer: HttpAnswer | undefined;
          try {
            answer = parser.push(data);
          } catch (err) {
            finish(err);
            return;
          }
          if (answer !== undefined) finish(undefined, answer);
        };
        const onEnd = (): void => {
          try {
            finish(undefined, parser.end());
          } catch (err) {
            finish(err);
          }
        };
        const onError = (err: Error): void => finish(err);
        const onClose = (): void => finish(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        const onAbort = (): void => finish(signal.reason);
        const timer = setTimeout(() => finish(new AnswerTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
        signal.addEventListener('abort', onAbort, { once: true });
        socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
        const head = `${method} ${path} HTTP/1.1\r\n${headLines}`;
        socket.write(body === undefined ? `${head}\r\n` : `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close() {
      for (const socket of idle.splice(0)) socket.destroy();
    },
  };
}
