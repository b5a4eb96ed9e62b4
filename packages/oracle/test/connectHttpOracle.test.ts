import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, generateNetwork } from '@relurec/network';
import type { Oracle } from '../src/index.js';
import {
  OracleAnswerError,
  OracleClosedError,
  OracleRequestError,
  QueryBudgetExceededError,
  connectHttpOracle,
  createBudgetedOracle,
  createNetworkOracle,
  createOracleServer,
} from '../src/index.js';

/** Deterministic inputs that stress float formatting: ordinary values, tiny and huge magnitudes, thirds. */
function inputs(rows: number, dim: number): Float64Array {
  const x = new Float64Array(rows * dim);
  const special = [1e-300, -2.5e10, 1 / 3, -0.1, 5e-324, 123456.789];
  for (let k = 0; k < x.length; k++) x[k] = k % 11 === 0 ? special[(k / 11) % special.length] : Math.sin(k * 12.9898) * 3;
  return x;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function serve(t: Test, oracle: Oracle, options: Parameters<typeof createOracleServer>[1] = {}) {
  const server = await createOracleServer(oracle, options);
  t.teardown(() => server.close());
  return server;
}

/**
 * A hand-written server for one faulty behaviour. `/info` answers `{inputDim: 2, outputDim: 1}` unless
 * `info` is given; `/query` calls `query` with the 1-based attempt number. It counts requests per path
 * and records the headers it received.
 */
async function faultyServer(
  t: Test,
  query: (res: ServerResponse, attempt: number, req: IncomingMessage) => void,
  info?: (res: ServerResponse, attempt: number) => void,
) {
  const hits = { info: 0, query: 0 };
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    req.on('end', () => {
      if (req.url === '/info') {
        hits.info++;
        if (info) info(res, hits.info);
        else send(res, 200, '{"inputDim": 2, "outputDim": 1}');
      } else {
        hits.query++;
        query(res, hits.query, req);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, headers };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } as const;

t.test('http oracle - answers equal forward() bit for bit through a real server', async (t) => {
  const net = generateNetwork({ architecture: [6, 9, 7, 3], seed: 11 });
  const server = await serve(t, createNetworkOracle(net));
  const oracle = await connectHttpOracle(server.url, { retries: 0 });
  t.teardown(() => oracle.close());
  t.equal(oracle.inputDim, 6);
  t.equal(oracle.outputDim, 3);
  t.equal(oracle.url, server.url);
  const x = inputs(50, 6);
  const got = await oracle.query(x, 50);
  t.ok(sameBits(got, forward(net, x, 50)), 'JSON round-trips float64 exactly');
  t.equal(server.queries, 50);
  t.same(Array.from(await oracle.query(new Float64Array(0), 0)), [], 'an empty batch sends nothing');
  t.equal(oracle.requests, 2, 'one GET /info and one POST /query');
});

t.test('http oracle - a batch above maxBatch is split, answers kept in order', async (t) => {
  const net = generateNetwork({ architecture: [4, 5, 2], seed: 2 });
  const inner = createNetworkOracle(net);
  const batches: number[] = [];
  const spy: Oracle = {
    inputDim: 4,
    outputDim: 2,
    query: (x, rows) => (batches.push(rows), inner.query(x, rows)),
    close: () => inner.close(),
  };
  const server = await serve(t, spy);
  const oracle = await connectHttpOracle(server.url, { maxBatch: 7 });
  const x = inputs(20, 4);
  t.ok(sameBits(await oracle.query(x, 20), forward(net, x, 20)));
  t.same(batches, [7, 7, 6]);
  t.equal(server.requests, 4, 'GET /info and three POST /query');
  t.equal(server.queries, 20);
});

t.test('http oracle - every kind of failure is retried, then named', async (t) => {
  const cases: [string, (res: ServerResponse) => void, RegExp, object][] = [
    ['HTTP 500', (res) => send(res, 500, '{"error": "boom"}'), /^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/query after 3 attempts: boom$/, { failure: 'status', status: 500 }],
    ['HTTP 503 without a body', (res) => send(res, 503, ''), /^HTTP 503 from .*\/query after 3 attempts$/, { status: 503 }],
    ['429 (too many requests)', (res) => send(res, 429, 'slow down', { 'retry-after': '0' }), /HTTP 429 .* after 3 attempts: slow down/, { status: 429 }],
    ['408 (request timeout)', (res) => send(res, 408, ''), /HTTP 408/, { status: 408 }],
    ['null value', (res) => send(res, 200, '{"outputs": [[1], [null]]}'), /answer row 1 holds a non-finite value \(column 0: null\)/, { failure: 'answer', status: 200 }],
    ['"NaN" string', (res) => send(res, 200, '{"outputs": [["NaN"], [2]]}'), /answer row 0 holds a non-finite value \(column 0: "NaN"\)/, { failure: 'answer' }],
    ['1e999 (parses to Infinity)', (res) => send(res, 200, '{"outputs": [[1], [-1e999]]}'), /answer row 1 holds a non-finite value \(column 0: -Infinity\)/, { failure: 'answer' }],
    ['garbage text', (res) => send(res, 200, '<html>oops</html>'), /bad answer from .* after 3 attempts: answer is not JSON \(starts "<html>oops<\/html>"\)/, { failure: 'answer' }],
    ['too few rows', (res) => send(res, 200, '{"outputs": [[1]]}'), /answer has 1 rows, expected 2/, { failure: 'answer' }],
    ['too many columns', (res) => send(res, 200, '{"outputs": [[1], [2, 3]]}'), /answer row 1 has 2 values, expected 1/, { failure: 'answer' }],
    ['a row that is not an array', (res) => send(res, 200, '{"outputs": [1, 2]}'), /answer row 0 is not an array/, { failure: 'answer' }],
    ['no outputs', (res) => send(res, 200, '{"result": [[1], [2]]}'), /answer has no "outputs" array/, { failure: 'answer' }],
  ];
  for (const [what, behave, message, fields] of cases) {
    await t.test(what, async (t) => {
      const server = await faultyServer(t, behave);
      const oracle = await connectHttpOracle(server.url, fast);
      const err = await oracle.query(Float64Array.of(1, 2, 3, 4), 2).catch((e: unknown) => e);
      t.ok(err instanceof OracleRequestError, `${err}`);
      t.match(err, { name: 'OracleRequestError', url: `${server.url}/query`, attempts: 3, ...fields });
      t.match((err as Error).message, message);
      t.equal(server.hits.query, 3, 'retries + 1 attempts reached the server');
    });
  }
});

t.test('http oracle - a non-finite answer keeps the OracleAnswerError as its cause', async (t) => {
  const server = await faultyServer(t, (res) => send(res, 200, '{"outputs": [[1], [1e999]]}'));
  const oracle = await connectHttpOracle(server.url, { ...fast, retries: 0 });
  const err = await oracle.query(Float64Array.of(1, 2, 3, 4), 2).catch((e: unknown) => e);
  t.match(err, { attempts: 1 });
  const cause = (err as Error).cause;
  t.ok(cause instanceof OracleAnswerError);
  t.match(cause, { row: 1, column: 0, value: Infinity });
});

t.test('http oracle - a server too slow to answer times out after every attempt', async (t) => {
  // Headers are sent at once, the body never ends: the timeout covers the whole answer.
  const server = await faultyServer(t, (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"outputs": [');
  });
  const oracle = await connectHttpOracle(server.url, { ...fast, timeoutMs: 200 });
  const before = oracle.requests;
  const err = await oracle.query(Float64Array.of(1, 2), 1).catch((e: unknown) => e);
  t.ok(err instanceof OracleRequestError);
  t.match(err, { failure: 'timeout', attempts: 3, status: undefined });
  t.match((err as Error).message, /^no answer within 200 ms from .*\/query after 3 attempts$/);
  // Counted on the client: a request the client gave up on may not have reached the server yet.
  t.equal(oracle.requests - before, 3, 'retries + 1 requests were sent');
});

t.test('http oracle - a refused connection is a network error after every attempt', async (t) => {
  // A port that was free a moment ago: listen on port 0, note the port, close.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const err = await connectHttpOracle(`http://127.0.0.1:${port}`, fast).catch((e: unknown) => e);
  t.ok(err instanceof OracleRequestError);
  t.match(err, { failure: 'network', attempts: 3, url: `http://127.0.0.1:${port}/info` });
  t.match((err as Error).message, /^network error \(ECONNREFUSED\) from http:\/\/127\.0\.0\.1:\d+\/info after 3 attempts$/);
});

t.test('http oracle - a server that fails twice then answers is recovered transparently', async (t) => {
  const server = await faultyServer(t, (res, attempt) => {
    if (attempt === 1) send(res, 503, '{"error": "warming up"}');
    else if (attempt === 2) send(res, 200, '{"outputs": [[NaN]]}');
    else send(res, 200, '{"outputs": [[0.1], [-2.5e-7]]}');
  });
  const oracle = await connectHttpOracle(server.url, fast);
  t.same(Array.from(await oracle.query(Float64Array.of(1, 2, 3, 4), 2)), [0.1, -2.5e-7]);
  t.equal(server.hits.query, 3);
});

t.test('http oracle - /info is retried too, and a bad /info fails the connection', async (t) => {
  const flaky = await faultyServer(
    t,
    (res) => send(res, 200, '{"outputs": [[1]]}'),
    (res, attempt) => send(res, attempt === 1 ? 502 : 200, '{"inputDim": 2, "outputDim": 1}'),
  );
  const oracle = await connectHttpOracle(flaky.url, fast);
  t.equal(oracle.inputDim, 2);
  t.equal(flaky.hits.info, 2);

  const bad = await faultyServer(t, () => undefined, (res) => send(res, 200, '{"inputDim": 0, "outputDim": 1}'));
  const err = await connectHttpOracle(bad.url, fast).catch((e: unknown) => e);
  t.ok(err instanceof OracleRequestError);
  t.match((err as Error).message, /info answer inputDim must be a positive integer, got 0/);
  t.equal(bad.hits.info, 3);
});

t.test('http oracle - the API-key header reaches the server on every request', async (t) => {
  const server = await faultyServer(t, (res) => send(res, 200, '{"outputs": [[5]]}'));
  const oracle = await connectHttpOracle(`${server.url}/`, { headers: { Authorization: 'Bearer s3cret', 'X-Run': 'r1' } });
  t.equal(oracle.url, server.url, 'the trailing slash is dropped');
  await oracle.query(Float64Array.of(1, 2), 1);
  t.equal(server.headers.length, 2);
  for (const h of server.headers) {
    t.equal(h.authorization, 'Bearer s3cret');
    t.equal(h['x-run'], 'r1');
  }
  t.equal(server.headers[1]['content-type'], 'application/json');
});

t.test('http oracle - 401 and other 4xx fail at once, without retries', async (t) => {
  const server = await faultyServer(t, (res) => send(res, 401, '{"error": "invalid API key"}'));
  const oracle = await connectHttpOracle(server.url, fast);
  const err = await oracle.query(Float64Array.of(1, 2), 1).catch((e: unknown) => e);
  t.ok(err instanceof OracleRequestError);
  t.match(err, { status: 401, attempts: 1, failure: 'status' });
  t.match((err as Error).message, /^HTTP 401 from .*\/query after 1 attempt \(not retried: this answer will not change\): invalid API key$/);
  t.equal(server.hits.query, 1);

  const notFound = await faultyServer(t, () => undefined, (res) => send(res, 404, 'no such path'));
  await t.rejects(connectHttpOracle(notFound.url, fast), { name: 'OracleRequestError', status: 404, attempts: 1, url: `${notFound.url}/info` });
  t.equal(notFound.hits.info, 1);
});

t.test('http oracle - a budget spent on the server arrives as QueryBudgetExceededError', async (t) => {
  const net = generateNetwork({ architecture: [2, 3, 1], seed: 5 });
  const server = await serve(t, createBudgetedOracle(createNetworkOracle(net), { budget: 5 }));
  const oracle = await connectHttpOracle(server.url, fast);
  await oracle.query(inputs(3, 2), 3);
  const err = await oracle.query(inputs(3, 2), 3).catch((e: unknown) => e);
  t.ok(err instanceof QueryBudgetExceededError);
  t.match(err, { budget: 5, used: 3, requested: 3 });
  t.equal(server.requests, 3, 'not retried');
  t.equal(server.queries, 3);
});

t.test('http oracle - close aborts a request in flight and refuses later queries', async (t) => {
  let arrived: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  const server = await faultyServer(t, () => arrived());
  const oracle = await connectHttpOracle(server.url, fast);
  const pending = oracle.query(Float64Array.of(1, 2), 1);
  await inFlight;
  await oracle.close();
  await t.rejects(pending, OracleClosedError);
  await t.rejects(oracle.query(Float64Array.of(1, 2), 1), OracleClosedError);
  await oracle.close();
  t.equal(server.hits.query, 1);
});

t.test('http oracle - bad arguments name the option, bad batches cost no request', async (t) => {
  const server = await faultyServer(t, (res) => send(res, 200, '{"outputs": [[1]]}'));
  await t.rejects(connectHttpOracle(server.url, { maxBatch: 0 }), { name: 'RangeError', message: /options\.maxBatch/ });
  await t.rejects(connectHttpOracle(server.url, { timeoutMs: -1 }), { name: 'RangeError', message: /options\.timeoutMs/ });
  await t.rejects(connectHttpOracle(server.url, { retries: 1.5 }), { name: 'RangeError', message: /options\.retries/ });
  await t.rejects(connectHttpOracle(server.url, { baseDelayMs: NaN }), { name: 'RangeError', message: /options\.baseDelayMs/ });
  await t.rejects(connectHttpOracle(server.url, { headers: { 'Bad Name': 'x' } }), { name: 'TypeError', message: /options\.headers/ });
  await t.rejects(connectHttpOracle('not a url'), { name: 'TypeError', message: /baseUrl/ });
  await t.rejects(connectHttpOracle('ftp://example.com'), { name: 'TypeError', message: /baseUrl/ });
  await t.rejects(connectHttpOracle('http://user:pw@127.0.0.1:1'), { name: 'TypeError', message: /credentials/ });
  t.equal(server.hits.info, 0, 'no request was sent for bad options');
  const oracle = await connectHttpOracle(server.url, fast);
  await t.rejects(oracle.query(new Float64Array(3), 1), { name: 'RangeError', message: /inputDim \(2\)/ });
  await t.rejects(oracle.query(Float64Array.of(NaN, 0), 1), RangeError);
  t.equal(server.hits.query, 0);
});
