import t, { type Test } from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import type { Oracle } from '../src/index.js';
import { createBudgetedOracle, createNetworkOracle, createOracleServer } from '../src/index.js';

const net = generateNetwork({ architecture: [2, 4, 1], seed: 9 });

async function serve(t: Test, oracle: Oracle = createNetworkOracle(net), options: Parameters<typeof createOracleServer>[1] = {}) {
  const server = await createOracleServer(oracle, options);
  t.teardown(() => server.close());
  return server;
}

/** POSTs a raw body to /query; returns status and parsed JSON answer. */
async function post(url: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/query`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}

t.test('server - serves /info and /query of the protocol', async (t) => {
  const server = await serve(t);
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.ok(server.port > 0, 'an ephemeral port was picked');
  const info = await fetch(`${server.url}/info`);
  t.equal(info.status, 200);
  t.match(info.headers.get('content-type'), /application\/json/);
  t.same(await info.json(), { inputDim: 2, outputDim: 1 });
  const x = [[0.5, -1], [2, 1e-3], [-3, 4]];
  const { status, json } = await post(server.url, JSON.stringify({ inputs: x }, null, 2));
  t.equal(status, 200);
  t.same(json.outputs, Array.from(forward(net, Float64Array.from(x.flat()), 3), (v) => [v]), 'exactly forward()');
  t.same(await post(server.url, '{"inputs": []}'), { status: 200, json: { outputs: [] } });
  t.equal(server.queries, 3);
  t.equal(server.requests, 3);
});

t.test('server - bad requests get 400 with an error naming what is wrong', async (t) => {
  const server = await serve(t, undefined, { maxBatch: 2 });
  const cases: [string, string][] = [
    ['{"inputs": [[1, 2]', 'body is not JSON'],
    ['{"rows": [[1, 2]]}', 'body must be an object {"inputs": [[...], ...]} with an inputs array'],
    ['[[1, 2]]', 'with an inputs array'],
    ['null', 'with an inputs array'],
    ['{"inputs": [[1, 2], [3]]}', 'inputs[1] has 1 values, expected inputDim 2'],
    ['{"inputs": [[1, 2], 3]}', 'inputs[1] is not an array'],
    ['{"inputs": [[1, null]]}', 'inputs[0][1] is null, not a finite number'],
    ['{"inputs": [[1e999, 0]]}', 'inputs[0][0] is Infinity, not a finite number'],
    ['{"inputs": [["NaN", 0]]}', 'inputs[0][0] is "NaN", not a finite number'],
    ['{"inputs": [[1, 2], [3, 4], [5, 6]]}', 'too many rows: 3 > maxBatch 2'],
  ];
  for (const [body, error] of cases) {
    const { status, json } = await post(server.url, body);
    t.equal(status, 400, body);
    t.ok(typeof json.error === 'string' && json.error.includes(error), `${body} -> ${json.error}`);
  }
  t.equal(server.queries, 0, 'refused requests count no rows');
});

t.test('server - unknown paths are 404, wrong methods 405', async (t) => {
  const server = await serve(t);
  const nope = await fetch(`${server.url}/predict`);
  t.equal(nope.status, 404);
  t.match(await nope.json(), { error: /no such path \/predict/ });
  const postInfo = await fetch(`${server.url}/info`, { method: 'POST', body: '{}' });
  t.equal(postInfo.status, 405);
  t.equal(postInfo.headers.get('allow'), 'GET');
  t.match(await postInfo.json(), { error: '/info takes GET, not POST' });
  const getQuery = await fetch(`${server.url}/query`);
  t.equal(getQuery.status, 405);
  t.equal(getQuery.headers.get('allow'), 'POST');
  await getQuery.arrayBuffer();
});

t.test('server - an oversized body is a 413', async (t) => {
  const server = await serve(t, undefined, { maxBodyBytes: 100 });
  const body = JSON.stringify({ inputs: Array.from({ length: 20 }, () => [1.5, 2.5]) });
  t.ok(body.length > 100);
  const { status, json } = await post(server.url, body);
  t.equal(status, 413);
  t.match(json.error, /larger than 100 bytes/);
  t.same((await post(server.url, '{"inputs": [[1, 2]]}')).status, 200, 'the server goes on serving');
});

t.test('server - oracle failures: spent budget 403 with its fields, NaN answers 502', async (t) => {
  const budgeted = await serve(t, createBudgetedOracle(createNetworkOracle(net), { budget: 2 }));
  t.equal((await post(budgeted.url, '{"inputs": [[1, 2]]}')).status, 200);
  const spent = await post(budgeted.url, '{"inputs": [[1, 2], [3, 4]]}');
  t.equal(spent.status, 403);
  t.match(spent.json, { type: 'QueryBudgetExceededError', budget: 2, used: 1, requested: 2, error: /budget/ });
  t.equal(budgeted.queries, 1);

  const nanOracle: Oracle = {
    inputDim: 2,
    outputDim: 1,
    query: async (_x, rows) => new Float64Array(rows).fill(NaN),
    close: async () => undefined,
  };
  const broken = await serve(t, nanOracle);
  const bad = await post(broken.url, '{"inputs": [[1, 2]]}');
  t.equal(bad.status, 502);
  t.match(bad.json.error, /answer row 0 holds a non-finite value/);
  t.equal(broken.queries, 0);
});

t.test('server - latencyMs delays answers without changing them', async (t) => {
  const server = await serve(t, undefined, { latencyMs: 20 });
  const { status, json } = await post(server.url, '{"inputs": [[1, 2]]}');
  t.equal(status, 200);
  t.same(json.outputs, [[forward(net, Float64Array.of(1, 2), 1)[0]]]);
});

t.test('server - options are checked, close is safe twice and stops serving', async (t) => {
  const oracle = createNetworkOracle(net);
  await t.rejects(createOracleServer(oracle, { maxBatch: 0 }), { name: 'RangeError', message: /options\.maxBatch/ });
  await t.rejects(createOracleServer(oracle, { latencyMs: -5 }), { name: 'RangeError', message: /options\.latencyMs/ });
  await t.rejects(createOracleServer(oracle, { port: 70000 }), { name: 'RangeError', message: /options\.port/ });
  await t.rejects(createOracleServer(oracle, { host: '' }), { name: 'TypeError', message: /options\.host/ });
  const server = await createOracleServer(oracle);
  await (await fetch(`${server.url}/info`)).json();
  await server.close();
  await server.close();
  await t.rejects(fetch(`${server.url}/info`), TypeError, 'nothing listens any more');
  t.same(Array.from(await oracle.query(Float64Array.of(0, 0), 1)), Array.from(forward(net, Float64Array.of(0, 0), 1)), 'the oracle was not closed');
});
