/** A complete HTTP/1.x answer, as the oracle client needs it. */
export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  /** The body, decoded as UTF-8. */
  readonly text: string;
  /** The connection may carry the next request (HTTP/1.1 without `connection: close`, or 1.0 with keep-alive, and a framed body). */
  readonly keepAlive: boolean;
}

/** An answer that breaks HTTP/1.x framing; the connection is unusable after it. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
  /** Read as a network failure by describeNetworkError. */
  readonly code = 'EPROTO';
}

/** Largest header block accepted (node's own limit is 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type Body = { kind: 'length'; left: number } | { kind: 'chunked'; left: number; trailers: boolean } | { kind: 'close' };

/**
 * Incremental parser of one HTTP/1.x response to a GET or POST: feed it the bytes as they arrive,
 * it returns the answer once the body is complete. Bodies framed by content-length, chunked transfer
 * coding or the end of the connection; 1xx interim answers skipped; 204 and 304 carry no body.
 * Hand-written for the oracle client's hot path: node:http costs ~0.4 ms of CPU per small
 * request where this and one socket write cost ~0.15 ms, and a latency-bound run sends thousands.
 */
export class ResponseParser {
  #buffered: Buffer | undefined;
  #status = 0;
  #retryAfter: string | null = null;
  #keepAlive = false;
  #body: Body | undefined;
  readonly #chunks: Buffer[] = [];

  /**
   * Adds bytes from the connection. Returns the answer when it is complete (bytes after it are an
   * error: the client never pipelines), undefined while more are needed.
   * @throws MalformedAnswerError
   */
  push(data: Buffer): HttpAnswer | undefined {
    let buf = this.#buffered === undefined ? data : Buffer.concat([this.#buffered, data]);
    this.#buffered = undefined;
    for (;;) {
      if (this.#body === undefined) {
        const end = buf.indexOf(HEAD_END);
        if (end < 0) {
          if (buf.length > MAX_HEAD_BYTES) throw new MalformedAnswerError(`answer headers exceed ${MAX_HEAD_BYTES} bytes`);
          this.#buffered = buf;
          return undefined;
        }
        const interim = this.#readHead(buf.toString('latin1', 0, end));
        buf = buf.subarray(end + 4);
        if (interim) continue;
      }
      const done = this.#readBody(buf);
      if (done === undefined) return undefined;
      if (done.length > 0) throw new MalformedAnswerError(`${done.length} bytes after the answer`);
      return this.#answer();
    }
  }

  /**
   * The connection ended. Returns the answer of a body framed by the end of the connection.
   * @throws MalformedAnswerError when the answer is incomplete
   */
  end(): HttpAnswer {
    if (this.#body?.kind === 'close') return this.#answer();
    throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  }

  /** Parses a header block; true for a 1xx interim answer (skipped). */
  #readHead(head: string): boolean {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]);
    if (!m) throw new MalformedAnswerError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 40))}`);
    const status = Number(m[2]);
    if (status >= 100 && status < 200) return true;
    let length: number | undefined, chunked = false, connection = '';
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon <= 0) throw new MalformedAnswerError(`bad header line ${JSON.stringify(lines[i].slice(0, 40))}`);
      const name = lines[i].slice(0, colon).trim().toLowerCase(), value = lines[i].slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== undefined && Number(value) !== length)) throw new MalformedAnswerError(`bad content-length ${JSON.stringify(value)}`);
        length = Number(value);
      } else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') connection += `,${value.toLowerCase()}`;
      else if (name === 'retry-after') this.#retryAfter = value;
    }
    this.#status = status;
    this.#keepAlive = m[1] === '1' ? !/(?:^|,)\s*close\s*(?:,|$)/.test(connection) : /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(connection);
    if (status === 204 || status === 304) this.#body = { kind: 'length', left: 0 };
    else if (chunked) this.#body = { kind: 'chunked', left: -1, trailers: false };
    else if (length !== undefined) this.#body = { kind: 'length', left: length };
    else {
      this.#body = { kind: 'close' };
      this.#keepAlive = false;
    }
    return false;
  }

  /** Consumes body bytes; returns the bytes after the body once it is complete, undefined while more are needed. */
  #readBody(buf: Buffer): Buffer | undefined {
    const body = this.#body!;
    if (body.kind === 'close') {
      if (buf.length > 0) this.#chunks.push(buf);
      return undefined;
    }
    if (body.kind === 'length') {
      const take = Math.min(body.left, buf.length);
      if (take > 0) this.#chunks.push(buf.subarray(0, take));
      body.left -= take;
      return body.left === 0 ? buf.subarray(take) : undefined;
    }
    for (;;) {
      if (body.left > 0) {
        const take = Math.min(body.left, buf.length);
        this.#chunks.push(buf.subarray(0, take));
        body.left -= take;
        buf = buf.subarray(take);
        if (body.left > 0) return undefined;
        body.left = -2; // the CRLF after the chunk data
      }
      const eol = buf.indexOf(CRLF);
      if (eol < 0) {
        if (buf.length > MAX_HEAD_BYTES) throw new MalformedAnswerError('chunk line too long');
        this.#buffered = buf;
        return undefined;
      }
      const line = buf.toString('latin1', 0, eol);
      buf = buf.subarray(eol + 2);
      if (body.trailers) {
        if (line === '') return buf;
      } else if (body.left === -2) {
        if (line !== '') throw new MalformedAnswerError('chunk data longer than its size');
        body.left = -1;
      } else {
        const size = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/.exec(line);
        if (!size) throw new MalformedAnswerError(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
        body.left = parseInt(size[1], 16);
        if (body.left === 0) body.trailers = true;
      }
    }
  }

  #answer(): HttpAnswer {
    const text = this.#chunks.length === 1 ? this.#chunks[0].toString('utf8') : Buffer.concat(this.#chunks).toString('utf8');
    return { status: this.#status, retryAfter: this.#retryAfter, text, keepAlive: this.#keepAlive };
  }
}
