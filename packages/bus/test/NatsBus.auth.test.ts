import t from 'tap';
import { jetstreamManager } from '@nats-io/jetstream';
import { nkeys } from '@nats-io/transport-node';
import type { FragmentMessage, Heartbeat } from '@relurec/protocol';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { makeTlsFiles } from '../../../test/helpers/tlsFiles.js';
import { connectNatsBus } from '../src/index.js';
import { answer, makeRecord, makeTask } from './contract/messages.js';
import { waitFor } from './contract/waitFor.js';

/**
 * What a worker may do, as an allow-list: take tasks (its consumer's pulls and acks), publish
 * fragments, events and heartbeats, ask the oracle service, read run records and models. It may
 * not publish tasks, write run state or create and delete streams.
 */
const WORKER_PERMISSIONS = {
  publish: {
    allow: [
      '$JS.API.INFO',
      '$JS.API.STREAM.INFO.*',
      '$JS.API.CONSUMER.INFO.RELUREC_TASKS.*',
      '$JS.API.CONSUMER.CREATE.RELUREC_TASKS.>',
      '$JS.API.CONSUMER.DURABLE.CREATE.RELUREC_TASKS.*',
      '$JS.API.CONSUMER.MSG.NEXT.RELUREC_TASKS.*',
      '$JS.ACK.RELUREC_TASKS.>',
      '$JS.API.DIRECT.GET.KV_relurec-runs.>',
      '$JS.API.STREAM.MSG.GET.KV_relurec-runs',
      '$JS.API.DIRECT.GET.OBJ_relurec-models.>',
      '$JS.API.STREAM.MSG.GET.OBJ_relurec-models',
      '$JS.API.CONSUMER.CREATE.OBJ_relurec-models.>',
      '$JS.API.CONSUMER.DELETE.OBJ_relurec-models.>',
      '$JS.FC.OBJ_relurec-models.>',
      'relurec.*.fragments',
      'relurec.*.events',
      'relurec.workers.heartbeat',
      'relurec.oracle.query',
    ],
  },
  subscribe: { allow: ['_INBOX.>'] },
};

const USERS = [
  { user: 'coordinator', password: 'c-secret' },
  { user: 'worker', password: 'w-secret', permissions: WORKER_PERMISSIONS },
];

t.test('NatsBus - with users and permissions: no credentials, no entry; a worker cannot publish tasks but can serve them', async (t) => {
  const server = await startNatsServer({ jetstream: true, auth: { users: USERS } });
  t.teardown(() => server.stop());
  const base = { servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000 };

  await t.rejects(connectNatsBus(base), { name: 'BusConnectionError', message: /could not connect to NATS at .*Authorization/i }, 'no credentials');
  await t.rejects(connectNatsBus({ ...base, user: 'worker', pass: 'wrong' }), { name: 'BusConnectionError' }, 'a wrong password');

  const coordinator = await connectNatsBus({ ...base, user: 'coordinator', pass: 'c-secret' });
  t.teardown(() => coordinator.close());
  await coordinator.putRun(makeRecord('run-auth'));
  await coordinator.putBlob('run-auth/net.json', new TextEncoder().encode('{"format":"relu-net"}'));
  const errors: Error[] = [];
  const worker = await connectNatsBus({ ...base, user: 'worker', pass: 'w-secret', workerId: 'w', onError: (e) => errors.push(e) });
  t.teardown(() => worker.close());

  await t.rejects(worker.publishTasks([makeTask('run-auth', 99)]), { message: /Permissions Violation for Publish to "?relurec\.run-auth\.tasks/i }, 'a worker may not publish tasks');
  await t.rejects(worker.putRun(makeRecord('run-evil')), { message: /Permissions Violation/i }, 'nor write run records');

  const fragments: FragmentMessage[] = [];
  const sub = coordinator.subscribeFragments('run-auth', (f) => fragments.push(f));
  t.teardown(() => sub.stop());
  const beats: Heartbeat[] = [];
  const beatSub = coordinator.subscribeHeartbeats((b) => beats.push(b));
  t.teardown(() => beatSub.stop());
  const serving = worker.serveTasks(
    async (task) => {
      const record = await worker.getRun(task.runId);
      const model = await worker.getBlob('run-auth/net.json');
      if (record?.runId !== task.runId || model === undefined) throw new Error('the worker could not read the run');
      return answer(task, 'w');
    },
    { concurrency: 1, ackWaitMs: 1000 },
  );
  t.teardown(() => serving.stop());
  await coordinator.publishTasks([makeTask('run-auth', 0)]);
  await waitFor(() => fragments.length === 1, "the worker's fragment");
  t.equal(fragments[0]!.failure, undefined, 'the worker read the run record and the model');
  await worker.publishHeartbeat({
    v: 1, workerId: 'w', host: 'h', pid: 1, state: 'idle', threads: 1, current: [], tasksDone: 1, queries: 2,
    queriesPerSecond: 0, cpu: 0, rss: 1, errors: 0, at: Date.now(), intervalMs: 1000,
  });
  await waitFor(() => beats.length === 1, 'the heartbeat');
  const jsm = await jetstreamManager(coordinator.connection);
  t.equal((await jsm.streams.info('RELUREC_TASKS')).state.messages, 0, "no task of the worker's made it into the stream");
  t.same(errors.map((e) => e.message), [], 'the worker hit no permission error while serving');
});

t.test('NatsBus - token, nkey and TLS connections', async (t) => {
  const tokenServer = await startNatsServer({ jetstream: true, auth: { token: 's3cret-token' } });
  t.teardown(() => tokenServer.stop());
  await t.rejects(connectNatsBus({ servers: tokenServer.url }), { name: 'BusConnectionError' }, 'no token, no entry');
  const withToken = await connectNatsBus({ servers: tokenServer.url, token: 's3cret-token' });
  await withToken.putRun(makeRecord('run-token'));
  await withToken.close();

  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const nkeyServer = await startNatsServer({ jetstream: true, config: `authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }` });
  t.teardown(() => nkeyServer.stop());
  await t.rejects(connectNatsBus({ servers: nkeyServer.url, nkeySeed: new TextDecoder().decode(nkeys.createUser().getSeed()) }), { name: 'BusConnectionError' }, 'another key, no entry');
  const withNkey = await connectNatsBus({ servers: nkeyServer.url, nkeySeed: seed });
  await withNkey.putRun(makeRecord('run-nkey'));
  await withNkey.close();

  const tls = makeTlsFiles();
  t.teardown(() => tls.remove());
  const tlsServer = await startNatsServer({
    jetstream: true,
    config: `tls { cert_file: ${JSON.stringify(tls.certFile)}, key_file: ${JSON.stringify(tls.keyFile)} }`,
  });
  t.teardown(() => tlsServer.stop());
  await t.rejects(connectNatsBus({ servers: tlsServer.url, tls: {} }), { name: 'BusConnectionError' }, 'a CA the client does not trust');
  const withTls = await connectNatsBus({ servers: tlsServer.url, tls: { caFile: tls.caFile } });
  await withTls.putRun(makeRecord('run-tls'));
  t.same(await withTls.getRun('run-tls'), makeRecord('run-tls'));
  await withTls.close();
});
