import t from 'tap';
import { connect as natsConnect } from '@nats-io/transport-node';
import { forward, generateNetwork } from '@relurec/network';
import { createNetworkOracle, QueryBudgetExceededError } from '@relurec/oracle';
import { decode, encode } from '@relurec/protocol';
import { serveOracleOverNats } from '../src/index.js';
import { connect, makeInputs, natsServer, sameBits, serve, sleep, tapBox } from './fixtures/oracleNats.js';

t.test('serveOracleOverNats - budget: refusals are exact at the limit and refused batches count nothing', async (t) => {
  const server = await natsServer(t);
  const box = tapBox(createNetworkOracle(generateNetwork({ architecture: [4, 5, 2], seed: 11 })));
  const service = await serve(t, { servers: server.url, oracle: box, name: 'budget', budget: 10 });
  t.equal(service.budget, 10);
  const oracle = await connect(t, { servers: server.url, name: 'budget' });
  const x = makeInputs(11, 4);
  const rows = (n: number): Float64Array => x.subarray(0, n * 4);

  await oracle.query(rows(4), 4);
  t.equal(service.queries, 4);
  const over = await oracle.query(rows(7), 7).then(() => undefined, (e: unknown) => e);
  t.ok(over instanceof QueryBudgetExceededError, '4 + 7 > 10: refused');
  t.match(over, { budget: 10, used: 4, requested: 7 });
  t.equal(service.queries, 4, 'the refused batch counted nothing');
  t.equal(box.rows, 4, 'and none of it reached the box');

  await oracle.query(rows(6), 6);
  t.equal(service.queries, 10, '4 + 6 = 10: answered, exactly at the budget');
  const one = await oracle.query(rows(1), 1).then(() => undefined, (e: unknown) => e);
  t.ok(one instanceof QueryBudgetExceededError, 'one row more is refused');
  t.match(one, { budget: 10, used: 10, requested: 1 });
  t.equal(service.queries, 10);
  t.equal(box.rows, 10);
  await t.rejects(oracle.query(x, 11), QueryBudgetExceededError, 'still refused, however many rows');
});

t.test('serveOracleOverNats - malformed requests are answered with an error naming the field and count nothing', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [3, 4, 2], seed: 12 });
  const box = tapBox(createNetworkOracle(net));
  const service = await serve(t, { servers: server.url, oracle: box, name: 'strict' });
  const nc = await natsConnect({ servers: server.url });
  t.teardown(() => nc.close());
  const ask = async (subject: string, bytes: Uint8Array): Promise<Record<string, unknown>> =>
    decode((await nc.request(subject, bytes, { timeout: 5000 })).data) as Record<string, unknown>;

  const info = await ask(service.infoSubject, new Uint8Array(0));
  t.same(info, { inputDim: 3, outputDim: 2 }, 'info');

  const x = makeInputs(2, 3);
  const nan = Float64Array.from(x);
  nan[4] = NaN;
  const cases: [string, Uint8Array, string][] = [
    ['not MessagePack', Uint8Array.of(0xc1), '$'],
    ['not an object', encode([1, 2, 3]), '$'],
    ['rows missing', encode({ inputs: x }), 'rows'],
    ['rows 0', encode({ inputs: new Float64Array(0), rows: 0 }), 'rows'],
    ['rows fractional', encode({ inputs: x, rows: 1.5 }), 'rows'],
    ['rows a string', encode({ inputs: x, rows: '2' }), 'rows'],
    ['rows above 65536', encode({ inputs: x, rows: 65_537 }), 'rows'],
    ['inputs missing', encode({ rows: 2 }), 'inputs'],
    ['inputs a number array', encode({ inputs: Array.from(x), rows: 2 }), 'inputs'],
    ['inputs a Float32Array', encode({ inputs: Float32Array.from(x), rows: 2 }), 'inputs'],
    ['inputs of the wrong length', encode({ inputs: x, rows: 1 }), 'inputs'],
    ['a NaN input', encode({ inputs: nan, rows: 2 }), 'inputs[4]'],
    ['an unknown field', encode({ inputs: x, rows: 2, budget: 1e9 }), 'budget'],
    ['a batch id that is not a token', encode({ inputs: x, rows: 2, batch: { id: 'a.b', rows: 2 } }), 'batch.id'],
    ['batch rows below rows', encode({ inputs: x, rows: 2, batch: { id: 'b1', rows: 1 } }), 'batch.rows'],
  ];
  for (const [what, bytes, field] of cases) {
    const reply = await ask(service.subject, bytes);
    const error = reply.error as Record<string, unknown> | undefined;
    t.match(error, { name: 'MalformedMessageError', field, budget: false }, `${what}: field ${field}`);
    t.ok(String(error?.message).includes(`${field} `), `${what}: the message names ${field}: ${String(error?.message)}`);
    t.notOk('outputs' in reply, `${what}: no outputs`);
  }
  t.equal(service.queries, 0, 'malformed requests count nothing');
  t.equal(box.rows, 0, 'and never reach the box');
  t.equal(service.requests, cases.length);

  const ok = await ask(service.subject, encode({ inputs: x, rows: 2 }));
  t.ok(ok.outputs instanceof Float64Array && sameBits(ok.outputs, forward(net, x, 2)), 'a well-formed raw request is answered');
  t.equal(ok.replica, service.replica, 'the answer names the replica');
  t.equal(service.queries, 2);
});

t.test('serveOracleOverNats - two replicas in a queue group share the requests', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [3, 4, 1], seed: 13 });
  const a = await serve(t, { servers: server.url, oracle: createNetworkOracle(net), name: 'shared' });
  const b = await serve(t, { servers: server.url, oracle: createNetworkOracle(net), name: 'shared' });
  t.not(a.replica, b.replica);
  const oracle = await connect(t, { servers: server.url, name: 'shared' });
  const x = makeInputs(1, 3);
  for (let i = 0; i < 40; i++) {
    const y = await oracle.query(x, 1);
    if (!sameBits(y, forward(net, x, 1))) t.fail(`query ${i} answered wrongly`);
  }
  // The server picks a queue member at random per request: all 40 on one replica has odds 2^-39.
  t.ok(a.queries > 0 && b.queries > 0, `both replicas answered (${a.queries} and ${b.queries})`);
  t.equal(a.queries + b.queries, 40, 'each request was answered by exactly one replica');
});

t.test('serveOracleOverNats - stop answers the requests in flight, then takes no more', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [2, 3, 1], seed: 14 });
  const logs: string[] = [];
  const service = await serveOracleOverNats({
    servers: server.url,
    oracle: tapBox(createNetworkOracle(net), { delayMs: 300 }),
    name: 'stopping',
    log: (m) => logs.push(m),
  });
  const oracle = await connect(t, { servers: server.url, name: 'stopping', retries: 0 });
  const x = Float64Array.of(0.5, -1);
  const inflight = oracle.query(x, 1);
  await sleep(100);
  await service.stop();
  await service.stop();
  t.ok(sameBits(await inflight, forward(net, x, 1)), 'the query in flight was answered');
  await t.rejects(oracle.query(x, 1), { name: 'OracleRequestError', message: /^no oracle service on relurec\.oracle\.stopping / });
  t.match(logs[0], /^oracle service stopping \(replica \w+\) on relurec\.oracle\.stopping\.\{info,query\}: inputDim 2, outputDim 1, no budget$/);
  t.match(logs.at(-1), /stopped after 1 requests, 1 rows counted/);
});

t.test('serveOracleOverNats - bad options are named before connecting', async (t) => {
  const oracle = createNetworkOracle(generateNetwork({ architecture: [2, 2, 1], seed: 15 }));
  await t.rejects(serveOracleOverNats({ oracle, budget: -1 }), { name: 'RangeError', message: /options\.budget/ });
  await t.rejects(serveOracleOverNats({ oracle, budget: 1.5 }), { name: 'RangeError', message: /options\.budget/ });
  await t.rejects(serveOracleOverNats({ oracle, name: 'two words' }), { name: 'RangeError', message: /options\.name/ });
  await t.rejects(serveOracleOverNats({ oracle: {} as never }), { name: 'TypeError', message: /options\.oracle/ });
  await t.rejects(serveOracleOverNats({ oracle, servers: [] }), { name: 'TypeError', message: /options\.servers/ });
});
