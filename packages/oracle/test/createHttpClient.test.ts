import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AnswerTimeoutError, createHttpClient } from '../src/internal/createHttpClient.js';
import { makeTlsFiles } from '../../../test/helpers/tlsFiles.js';

/** A node:http server answering with `handle`; counts the TCP connections it accepted and can close its idle ones. */
async function server(t: Test, handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen = { connections: 0, heads: [] as IncomingMessage['headers'][] };
  const s = createServer((req, res) => {
    seen.heads.push(req.headers);
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => handle(req, res, body));
  });
  s.on('connection', () => seen.connections++);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  }));
  return { origin: new URL(`http://127.0.0.1:${(s.address() as AddressInfo).port}`), seen, closeIdle: () => s.closeIdleConnections() };
}

const open = new AbortController().signal;
const post = (body: string) => ({ method: 'POST' as const, path: '/query?key=1', body, timeoutMs: 2000, signal: open });

t.test('http client - one kept-alive connection carries sequential requests; head and body as sent', async (t) => {
  const { origin, seen } = await server(t, (req, res, body) => res.end(JSON.stringify({ url: req.url, method: req.method, body })));
  const client = createHttpClient(origin, { Accept: 'application/x-ndjson', Authorization: 'Bearer k', 'content-type': 'text/plain' });
  t.teardown(() => client.close());
  for (const body of ['{"inputs":[[1,2]]}', '{"inputs":[["ü"]]}', '']) {
    const answer = await client.send(post(body));
    t.same(JSON.parse(answer.text), { url: '/query?key=1', method: 'POST', body });
    t.equal(answer.status, 200);
  }
  t.equal(seen.connections, 1, 'one connection');
  const h = seen.heads[0];
  t.match(h, { host: origin.host, accept: 'application/x-ndjson', authorization: 'Bearer k', 'content-type': 'application/json', 'content-length': '18' }, 'the caller\'s accept wins, content-type and length are the client\'s');
  t.equal((await client.send({ method: 'GET', path: '/info', timeoutMs: 2000, signal: open })).text.includes('"GET"'), true);
});

t.test('http client - concurrent requests open one connection each, then reuse them', async (t) => {
  const { origin, seen } = await server(t, (_req, res, body) => setTimeout(() => res.end(body), 20));
  const client = createHttpClient(origin, {});
  t.teardown(() => client.close());
  for (let round = 0; round < 3; round++) {
    const texts = await Promise.all([0, 1, 2, 3].map((i) => client.send(post(`{"i":${i}}`)).then((a) => a.text)));
    t.same(texts, ['{"i":0}', '{"i":1}', '{"i":2}', '{"i":3}']);
  }
  t.equal(seen.connections, 4);
});

t.test('http client - chunked answers, connection close, and idle connections the server closed', async (t) => {
  let n = 0;
  const { origin, seen, closeIdle } = await server(t, (_req, res) => {
    n++;
    if (n === 1) {
      // no content-length: node sends it chunked
      res.write('{"part":');
      setTimeout(() => res.end('1}'), 10);
    } else if (n === 2) {
      res.setHeader('connection', 'close');
      res.end('{"closing":true}');
    } else res.end(`{"n":${n}}`);
  });
  const client = createHttpClient(origin, {});
  t.teardown(() => client.close());
  t.equal((await client.send(post('{}'))).text, '{"part":1}');
  const closing = await client.send(post('{}'));
  t.same([closing.text, closing.keepAlive], ['{"closing":true}', false]);
  t.equal((await client.send(post('{}'))).text, '{"n":3}');
  closeIdle(); // as at the server's keep-alive timeout
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal((await client.send(post('{}'))).text, '{"n":4}', 'a closed idle connection left the pool');
  t.equal(seen.connections, 3);
});

t.test('http client - time limit, abort, refused connection, a server that hangs up', async (t) => {
  const { origin } = await server(t, (req, res) => {
    if (req.url === '/slow') res.writeHead(200, { 'content-length': '10' }).write('{');
    else if (req.url === '/hangup') req.socket.destroy();
  });
  const client = createHttpClient(origin, {});
  t.teardown(() => client.close());
  await t.rejects(client.send({ method: 'GET', path: '/slow', timeoutMs: 50, signal: open }), AnswerTimeoutError);
  await t.rejects(client.send({ method: 'GET', path: '/hangup', timeoutMs: 2000, signal: open }), { code: 'ECONNRESET' });
  const closer = new AbortController();
  const pending = client.send({ method: 'GET', path: '/never', timeoutMs: 2000, signal: closer.signal });
  setTimeout(() => closer.abort(new Error('closed')), 20);
  await t.rejects(pending, /closed/);
  await t.rejects(client.send({ method: 'GET', path: '/never', timeoutMs: 2000, signal: closer.signal }), /closed/, 'an aborted signal sends nothing');
  const refused = createHttpClient(new URL('http://127.0.0.1:1'), {});
  await t.rejects(refused.send(post('{}')), { code: 'ECONNREFUSED' });
});

t.test('http client - https with certificate checks (a child process trusting a test CA)', async (t) => {
  const files = makeTlsFiles();
  t.teardown(() => files.remove());
  const s = createTlsServer({ cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) }, (req, res) => {
    req.resume().on('end', () => res.end(req.url === '/info' ? '{"inputDim": 2, "outputDim": 1}' : '{"outputs": [[0.5]]}'));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  }));
  const port = (s.address() as AddressInfo).port;
  const run = (url: string, ca?: string) => new Promise<{ code: number; out: string }>((resolve) => {
    const env = { ...process.env, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) };
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/queryOnce.ts', import.meta.url)), url], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
  t.same(await run(`https://localhost:${port}`, files.caFile), { code: 0, out: '0.5\n' }, 'by name (SNI), trusted');
  t.same(await run(`https://127.0.0.1:${port}`, files.caFile), { code: 0, out: '0.5\n' }, 'by address, trusted');
  const untrusted = await run(`https://localhost:${port}`);
  t.not(untrusted.code, 0);
  t.match(untrusted.out, /network error \((?:SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/, 'an unknown CA is refused');
});
