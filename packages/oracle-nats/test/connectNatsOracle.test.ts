import t from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { BusConnectionError } from '@relurec/bus';
import { OracleAnswerError, OracleClosedError, OracleRequestError, QueryBudgetExceededError, createNetworkOracle } from '@relurec/oracle';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { connectNatsOracle, serveOracleOverNats } from '../src/index.js';
import { connect, makeInputs, natsServer, sameBits, serve, sleep, tapBox } from './fixtures/oracleNats.js';

// Expected values come from forward() on the same network in this process: the service must be a
// transparent door, so the tolerance is zero (bit-for-bit, -0 included).

t.test('connectNatsOracle - round trip: a generated 5-8-3 network answers bit for bit as forward()', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [5, 8, 3], seed: 1 });
  const service = await serve(t, { servers: server.url, oracle: createNetworkOracle(net), name: 'roundtrip' });
  const oracle = await connect(t, { servers: server.url, name: 'roundtrip' });
  t.equal(oracle.inputDim, 5);
  t.equal(oracle.outputDim, 3);
  t.equal(oracle.subject, 'relurec.oracle.roundtrip.query');
  const x = makeInputs(50, 5);
  const y = await oracle.query(x, 50);
  t.ok(y instanceof Float64Array);
  t.ok(sameBits(y, forward(net, x, 50)), 'outputs equal the local forward pass bit for bit');
  t.same(Array.from(await oracle.query(new Float64Array(0), 0)), [], 'an empty batch sends nothing');
  t.equal(service.queries, 50, 'the service counted every row');
  t.equal(service.requests, 1);
  t.equal(oracle.requests, 2, 'one info and one query request');
  await t.rejects(oracle.query(new Float64Array(4), 1), RangeError, 'a batch of the wrong width is refused before it is sent');
  t.equal(oracle.requests, 2);
});

t.test('connectNatsOracle - a 784-input batch of 400 rows (2.5 MB, over max_payload) is split and reassembled in order', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [784, 16, 10], seed: 2 });
  const box = tapBox(createNetworkOracle(net));
  const service = await serve(t, { servers: server.url, oracle: box, name: 'mnist' });
  const oracle = await connect(t, { servers: server.url, name: 'mnist' });
  const x = makeInputs(400, 784);
  t.ok(x.byteLength > 1024 * 1024, 'the batch is larger than the default max_payload');
  const y = await oracle.query(x, 400);
  t.ok(sameBits(y, forward(net, x, 400)), 'outputs equal the local forward pass bit for bit, rows in order');
  // 900 kB per message: floor((900000 - 512) / (8 x 784)) = 143 rows per request -> 143 + 143 + 114.
  t.equal(service.requests, 3, 'three requests');
  t.equal(service.queries, 400, 'counted once: the first part reserved the batch, the others drew on it');
  t.equal(box.rows, 400);
});

t.test('connectNatsOracle - a split batch that would cross the budget is refused whole', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [784, 4, 1], seed: 3 });
  const box = tapBox(createNetworkOracle(net));
  const service = await serve(t, { servers: server.url, oracle: box, name: 'split-budget', budget: 400 });
  const oracle = await connect(t, { servers: server.url, name: 'split-budget' });
  const x = makeInputs(400, 784);
  await oracle.query(x.subarray(0, 784), 1);
  const err = await oracle.query(x, 400).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof QueryBudgetExceededError, 'QueryBudgetExceededError');
  t.match(err, { budget: 400, used: 1, requested: 400 });
  t.equal(box.rows, 1, 'no part of the refused batch reached the box');
  t.equal(service.queries, 1);
  const y = await oracle.query(x.subarray(0, 399 * 784), 399);
  t.ok(sameBits(y, forward(net, x.subarray(0, 399 * 784), 399)), 'a split batch that ends exactly at the budget is answered');
  t.equal(service.queries, 400);
  t.equal(box.rows, 400);
});

t.test('connectNatsOracle - a box answering NaN: OracleAnswerError naming the row of the whole batch', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [784, 4, 2], seed: 4 });
  // Row 300 of the batch is row 14 of the third request (143 + 143 + 14).
  const box = tapBox(createNetworkOracle(net), {
    answer: (out, rows) => {
      if (rows === 114) out[14 * 2 + 1] = NaN;
      return out;
    },
  });
  await serve(t, { servers: server.url, oracle: box, name: 'nan' });
  const oracle = await connect(t, { servers: server.url, name: 'nan' });
  const err = await oracle.query(makeInputs(400, 784), 400).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof OracleAnswerError, 'OracleAnswerError');
  t.match(err, { row: 300, column: 1 });
});

t.test('connectNatsOracle - the service restarted mid-stream: the client retries and succeeds', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [3, 6, 2], seed: 5 });
  const options = { servers: server.url, oracle: createNetworkOracle(net), name: 'restart' };
  const first = await serveOracleOverNats(options);
  let second: Awaited<ReturnType<typeof serveOracleOverNats>> | undefined;
  t.teardown(async () => {
    await first.stop();
    await second?.stop();
  });
  const oracle = await connect(t, { servers: server.url, name: 'restart', timeoutMs: 2000, retries: 8 });

  let done = 0;
  const stream = (async () => {
    for (let i = 0; i < 40; i++) {
      const x = makeInputs(3, 3).map((v) => v + i);
      const y = await oracle.query(x, 3);
      if (!sameBits(y, forward(net, x, 3))) throw new Error(`query ${i} answered wrongly`);
      done++;
    }
  })();
  while (done < 10) await sleep(5);
  await first.stop();
  const stoppedAt = done;
  await sleep(400);
  second = await serveOracleOverNats(options);
  await stream;
  t.ok(stoppedAt < 40, 'the service stopped while queries were still coming');
  t.equal(done, 40, 'every query was answered, right');
  t.ok(second.queries > 0, 'the new replica answered the rest');
  t.equal(first.queries + second.queries, 120, 'no row was lost or answered twice');
  t.ok(oracle.requests > 41, `the client retried while no replica was up (${oracle.requests} requests for 40 queries)`);
});

t.test('connectNatsOracle - the NATS server restarted mid-stream: both ends reconnect and the client carries on', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [3, 6, 2], seed: 6 });
  await serve(t, { servers: server.url, oracle: createNetworkOracle(net), name: 'nats-restart', reconnectTimeWaitMs: 100 });
  const oracle = await connect(t, { servers: server.url, name: 'nats-restart', timeoutMs: 1000, retries: 10, reconnectTimeWaitMs: 100 });
  let done = 0;
  const stream = (async () => {
    for (let i = 0; i < 30; i++) {
      const x = makeInputs(2, 3).map((v) => v - i);
      const y = await oracle.query(x, 2);
      if (!sameBits(y, forward(net, x, 2))) throw new Error(`query ${i} answered wrongly`);
      done++;
    }
  })();
  while (done < 10) await sleep(5);
  await server.restart();
  await stream;
  t.equal(done, 30, 'every query was answered, right');
});

t.test('connectNatsOracle - no service: a clear error naming the subject and how to start one', async (t) => {
  const server = await natsServer(t);
  const started = Date.now();
  const err = await connectNatsOracle({ servers: server.url, name: 'nobody', retries: 2, baseDelayMs: 20 }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof OracleRequestError, 'OracleRequestError');
  t.match((err as Error).message, /^no oracle service on relurec\.oracle\.nobody \(start `relurec oracle --nats URL --target \.\.\.`\)/);
  t.match(err, { url: 'relurec.oracle.nobody.info', attempts: 3, failure: 'network' });
  t.ok(Date.now() - started < 5000, 'no responders is known at once, not after a timeout');

  // A service that goes away after the client connected: its queries fail the same way.
  const service = await serveOracleOverNats({ servers: server.url, oracle: createNetworkOracle(generateNetwork({ architecture: [2, 2, 1], seed: 7 })), name: 'gone' });
  const oracle = await connect(t, { servers: server.url, name: 'gone', retries: 1 });
  await service.stop();
  const gone = await oracle.query(Float64Array.of(1, 2), 1).then(() => undefined, (e: unknown) => e);
  t.ok(gone instanceof OracleRequestError);
  t.match((gone as Error).message, /^no oracle service on relurec\.oracle\.gone /);
  t.match(gone, { url: 'relurec.oracle.gone.query', attempts: 2 });
});

t.test('connectNatsOracle - unreachable NATS: BusConnectionError naming the servers', async (t) => {
  const server = await natsServer(t);
  const url = server.url;
  await server.stop();
  const err = await connectNatsOracle({ servers: url }).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof BusConnectionError, 'BusConnectionError');
  t.match((err as Error).message, url);
});

t.test('connectNatsOracle - a cluster that needs a token: service and client pass it, a client without it is turned away', async (t) => {
  const server = await startNatsServer({ jetstream: false, auth: { token: 's3cret-token' } });
  t.teardown(() => server.stop());
  const net = generateNetwork({ architecture: [2, 3, 1], seed: 9 });
  await serve(t, { servers: server.url, token: 's3cret-token', oracle: createNetworkOracle(net), name: 'secured' });
  const oracle = await connect(t, { servers: server.url, token: 's3cret-token', name: 'secured' });
  const x = Float64Array.of(0.25, -3);
  t.ok(sameBits(await oracle.query(x, 1), forward(net, x, 1)));
  await t.rejects(connectNatsOracle({ servers: server.url, name: 'secured' }), BusConnectionError);
});

t.test('connectNatsOracle - close drains; queries after it reject with OracleClosedError; close twice is fine', async (t) => {
  const server = await natsServer(t);
  const net = generateNetwork({ architecture: [2, 3, 1], seed: 8 });
  await serve(t, { servers: server.url, oracle: tapBox(createNetworkOracle(net), { delayMs: 200 }), name: 'close' });
  const oracle = await connectNatsOracle({ servers: server.url, name: 'close' });
  const inflight = oracle.query(Float64Array.of(1, 2), 1).then((y) => y, (e: unknown) => e);
  await sleep(50);
  await oracle.close();
  await oracle.close();
  const settled = await inflight;
  t.ok(settled instanceof Float64Array || settled instanceof OracleClosedError, 'a query in flight is answered or rejected as closed');
  await t.rejects(oracle.query(Float64Array.of(1, 2), 1), OracleClosedError);
});

t.test('connectNatsOracle - bad options are named before anything is sent', async (t) => {
  await t.rejects(connectNatsOracle({ name: 'a.b' }), { name: 'RangeError', message: /options\.name/ });
  await t.rejects(connectNatsOracle({ timeoutMs: 0 }), { name: 'RangeError', message: /options\.timeoutMs/ });
  await t.rejects(connectNatsOracle({ retries: -1 }), { name: 'RangeError', message: /options\.retries/ });
  await t.rejects(connectNatsOracle({ user: 'u', token: 't' }), { name: 'TypeError', message: /one kind of credentials/ });
});
