import t from 'tap';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { connectNatsBus } from '../src/index.js';
import { busContract } from './contract/busContract.js';

busContract('NatsBus', async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  return async (options = {}) => {
    const bus = await connectNatsBus({ servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000, ...options });
    t.teardown(() => bus.close());
    return bus;
  };
});

t.test('NatsBus - connecting creates the streams, buckets and object store, idempotently', async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  const first = await connectNatsBus({ servers: server.url });
  t.teardown(() => first.close());
  const second = await connectNatsBus({ servers: server.url });
  t.teardown(() => second.close());
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const jsm = await jetstreamManager(first.connection);
  const tasks = await jsm.streams.info('RELUREC_TASKS');
  t.equal(tasks.config.retention, 'workqueue');
  t.equal(tasks.config.storage, 'file');
  t.same(tasks.config.subjects, ['relurec.*.tasks']);
  const fragments = await jsm.streams.info('RELUREC_FRAGMENTS');
  t.equal(fragments.config.retention, 'limits');
  t.same(fragments.config.subjects, ['relurec.*.fragments', 'relurec.*.merged'], 'raw and merged stages on one stream');
  for (const name of ['KV_relurec-runs', 'KV_relurec-status', 'OBJ_relurec-models']) {
    t.equal((await jsm.streams.info(name)).config.storage, 'file', name);
  }
});

t.test('NatsBus - connection and option errors name what is wrong', async (t) => {
  await t.rejects(connectNatsBus({ servers: 'nats://127.0.0.1:1', reconnectTimeWaitMs: 10 }), {
    name: 'BusConnectionError',
    message: /could not connect to NATS at nats:\/\/127\.0\.0\.1:1/,
  });
  await t.rejects(connectNatsBus({ replicas: 0 }), { name: 'RangeError', message: /options\.replicas must be an integer >= 1/ });
  await t.rejects(connectNatsBus({ user: 'a', token: 'b' }), { name: 'TypeError', message: /one kind of credentials.*user and token/ });
  await t.rejects(connectNatsBus({ pullExpiresMs: 10 }), { message: /options\.pullExpiresMs must be an integer >= 1000/ });
  await t.rejects(connectNatsBus({ servers: [] }), { message: /options\.servers/ });
  const noJs = await startNatsServer({ jetstream: false });
  t.teardown(() => noJs.stop());
  await t.rejects(connectNatsBus({ servers: noJs.url }), { name: 'BusTopologyError', message: /JetStream is not available/ });
  const single = await startNatsServer({ jetstream: true });
  t.teardown(() => single.stop());
  await t.rejects(connectNatsBus({ servers: single.url, replicas: 3 }), { name: 'BusTopologyError', message: /could not create stream RELUREC_TASKS \(replicas 3\)/ });
});
