import t from 'tap';
import { MalformedAnswerError, ResponseParser, type HttpAnswer } from '../src/internal/ResponseParser.js';

/** Feeds `wire` in pieces of `step` bytes; the answer, or 'more' when the parser still waits. */
function parse(wire: string, step = Infinity, ended = false): HttpAnswer | 'more' {
  const bytes = Buffer.from(wire, 'utf8');
  const parser = new ResponseParser();
  for (let at = 0; at < bytes.length; at += step) {
    const answer = parser.push(bytes.subarray(at, Math.min(bytes.length, at + step)));
    if (answer !== undefined) return answer;
  }
  return ended ? parser.end() : 'more';
}

const pieces = [Infinity, 1, 3, 7];

t.test('response parser - a content-length body, in one piece or split anywhere', async (t) => {
  const wire = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"outputs":[[1]]}';
  for (const step of pieces) {
    t.same(parse(wire, step), { status: 200, retryAfter: null, text: '{"outputs":[[1]]}', keepAlive: true }, `pieces of ${step} bytes`);
  }
  t.equal(parse(wire.slice(0, -1)), 'more', 'one byte short: waits');
});

t.test('response parser - a chunked body with extensions and trailers, split anywhere', async (t) => {
  const wire = 'HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\nRetry-After: 2\r\n\r\n5;x=y\r\n{"err\r\nA\r\nor": "busy\r\n2\r\n"}\r\n0\r\nX-Trailer: 1\r\n\r\n';
  for (const step of pieces) {
    t.same(parse(wire, step), { status: 503, retryAfter: '2', text: '{"error": "busy"}', keepAlive: true }, `pieces of ${step} bytes`);
  }
});

t.test('response parser - UTF-8 split inside a character is decoded whole', async (t) => {
  const body = '{"error":"größe ≠ 2"}';
  const wire = `HTTP/1.1 400 Bad Request\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  for (const step of pieces) t.equal((parse(wire, step) as HttpAnswer).text, body, `pieces of ${step} bytes`);
});

t.test('response parser - a body framed by the end of the connection, connection close, HTTP/1.0', async (t) => {
  t.same(parse('HTTP/1.1 200 OK\r\n\r\n{"a":1}', 4, true), { status: 200, retryAfter: null, text: '{"a":1}', keepAlive: false });
  t.equal((parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}') as HttpAnswer).keepAlive, false);
  t.equal((parse('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}') as HttpAnswer).keepAlive, false);
  t.equal((parse('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}') as HttpAnswer).keepAlive, true);
});

t.test('response parser - 1xx answers are skipped; 204 has no body', async (t) => {
  for (const step of pieces) {
    t.same(parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}', step), { status: 200, retryAfter: null, text: '{}', keepAlive: true });
  }
  t.same(parse('HTTP/1.1 204 No Content\r\n\r\n'), { status: 204, retryAfter: null, text: '', keepAlive: true });
});

t.test('response parser - broken framing is a MalformedAnswerError, an early end a hang-up', async (t) => {
  t.throws(() => parse('SSH-2.0-OpenSSH\r\n\r\n'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nno colon\r\n\r\n'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n'), MalformedAnswerError);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}extra'), /5 bytes after the answer/);
  t.throws(() => parse(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`), /headers exceed/);
  t.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}', Infinity, true), { code: 'ECONNRESET' });
  t.throws(() => parse('HTTP/1.1 200 OK\r\nContent-', Infinity, true), { code: 'ECONNRESET' });
});
