import t from 'tap';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { connect, nanos } from '@nats-io/transport-node';
import type { FragmentMessage } from '@relurec/protocol';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { connectNatsBus } from '../src/index.js';
import { answer, makeTask } from './contract/messages.js';
import { waitFor } from './contract/waitFor.js';
import { deployPermissions } from './fixtures/deployPermissions.js';

// The deployment's model (deploy/nats/auth.conf): a worker may not create or update consumers or
// streams. The coordinator prepares what workers use (bus.prepareTopology); workers look it up.

const USERS = [
  { user: 'coordinator', password: 'c-secret' },
  { user: 'worker', password: 'w-secret', permissions: deployPermissions('WORKER') },
  { user: 'merger', password: 'm-secret', permissions: deployPermissions('MERGER') },
];
const BASE = { reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000 };

t.test('NatsBus - a worker with the deployed permissions serves from the consumer the coordinator prepares', async (t) => {
  const server = await startNatsServer({ jetstream: true, auth: { users: USERS } });
  t.teardown(() => server.stop());
  const coordinator = await connectNatsBus({ ...BASE, servers: server.url, user: 'coordinator', pass: 'c-secret' });
  t.teardown(() => coordinator.close());
  const errors: Error[] = [];
  const worker = await connectNatsBus({ ...BASE, servers: server.url, user: 'worker', pass: 'w-secret', workerId: 'w', onError: (e) => errors.push(e) });
  t.teardown(() => worker.close());

  const fragments: FragmentMessage[] = [];
  const sub = coordinator.subscribeFragments('run-perm', (f) => fragments.push(f));
  t.teardown(() => sub.stop());
  const serving = worker.serveTasks(async (task) => answer(task, 'w'), { concurrency: 2, ackWaitMs: 1000 });
  t.teardown(() => serving.stop());
  await waitFor(() => errors.length > 0, 'the worker to report the missing consumer');
  t.match(errors[0]!.message, /consumer relurec-tasks does not exist on RELUREC_TASKS and this client may not create it: the coordinator creates it/);

  await coordinator.prepareTopology({ ackWaitMs: 1000 });
  await coordinator.publishTasks([0, 1, 2].map((i) => makeTask('run-perm', i)));
  await waitFor(() => fragments.length === 3, "the worker's three fragments");
  t.same(fragments.map((f) => f.workerId), ['w', 'w', 'w']);
  t.equal(errors.length, 1, `one report while waiting, nothing after (${errors.map((e) => e.message).join(' | ')})`);

  const jsm = await jetstreamManager(coordinator.connection);
  const consumer = await jsm.consumers.info('RELUREC_TASKS', 'relurec-tasks');
  t.equal(consumer.config.ack_wait, nanos(1000), 'ack wait as prepared');
  t.equal(consumer.config.max_deliver, 6, 'maxDeliver + 1 deliveries');
  t.equal(consumer.config.filter_subject, 'relurec.*.tasks');

  // A worker started with another ack wait may not change the consumer: it serves with its settings.
  const errors2: Error[] = [];
  const worker2 = await connectNatsBus({ ...BASE, servers: server.url, user: 'worker', pass: 'w-secret', workerId: 'w2', onError: (e) => errors2.push(e) });
  t.teardown(() => worker2.close());
  await serving.stop();
  const serving2 = worker2.serveTasks(async (task) => answer(task, 'w2'), { concurrency: 1, ackWaitMs: 5000 });
  t.teardown(() => serving2.stop());
  await coordinator.publishTasks([makeTask('run-perm', 3)]);
  await waitFor(() => fragments.length === 4, 'the task served by the second worker');
  t.equal(fragments[3]!.workerId, 'w2');
  t.equal(errors2.length, 1, 'one report');
  t.match(errors2[0]!.message, /consumer relurec-tasks has ack_wait 1000 ms and max_deliver 6, not 5000 ms and 6, and this client may not change it: serving with the consumer's settings \(1000 ms ack wait, 5 attempts\)/);
  t.equal((await jsm.consumers.info('RELUREC_TASKS', 'relurec-tasks')).config.ack_wait, nanos(1000), 'the consumer is unchanged');

  // The coordinator may change it, and prepareTopology is how.
  await coordinator.prepareTopology({ ackWaitMs: 2000 });
  t.equal((await jsm.consumers.info('RELUREC_TASKS', 'relurec-tasks')).config.ack_wait, nanos(2000), 'updated by prepareTopology');

  // Nor may a worker forge merged fragments.
  await t.rejects(worker.publishFragment(answer(makeTask('run-perm', 9), 'w'), { stage: 'merged' }), { message: /Permissions Violation for Publish to "?relurec\.run-perm\.merged/i });
});

t.test('NatsBus - a fragments stream of an older version gets the merged subject from a client that may update it', async (t) => {
  const server = await startNatsServer({ jetstream: true, auth: { users: USERS } });
  t.teardown(() => server.stop());
  // The streams as an earlier version made them: raw fragments only.
  const nc = await connect({ servers: server.url, user: 'coordinator', pass: 'c-secret' });
  t.teardown(() => nc.close());
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'RELUREC_TASKS', subjects: ['relurec.*.tasks'], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
  await jsm.streams.add({ name: 'RELUREC_FRAGMENTS', subjects: ['relurec.*.fragments'], retention: RetentionPolicy.Limits, storage: StorageType.File });
  const js = jetstream(nc);
  for (const bucket of ['relurec-runs', 'relurec-status']) await new Kvm(js).create(bucket, { history: 1, storage: StorageType.File });
  await new Objm(js).create('relurec-models', { storage: StorageType.File });

  // A worker may not update it: it connects (it needs only the raw stage) ...
  const errors: Error[] = [];
  const worker = await connectNatsBus({ ...BASE, servers: server.url, user: 'worker', pass: 'w-secret', onError: (e) => errors.push(e) });
  t.teardown(() => worker.close());
  t.same((await jsm.streams.info('RELUREC_FRAGMENTS')).config.subjects, ['relurec.*.fragments'], 'unchanged by the worker');
  await worker.publishFragment(answer(makeTask('run-old', 0)));
  // ... and the merged stage is refused with what to do.
  await t.rejects(worker.publishFragment(answer(makeTask('run-old', 0)), { stage: 'merged' }), {
    name: 'BusTopologyError',
    message: /stream RELUREC_FRAGMENTS does not capture the merged stage \(relurec\.\*\.merged\).*Connect a client that may update the stream/,
  });
  // A merger (deployed permissions: it reads fragments, may not update streams) connected before
  // the coordinator waits for the stage, and reports why once.
  const mergerErrors: Error[] = [];
  const merger = await connectNatsBus({ ...BASE, servers: server.url, user: 'merger', pass: 'm-secret', onError: (e) => mergerErrors.push(e) });
  t.teardown(() => merger.close());
  const merged: string[] = [];
  const sub = merger.subscribeFragments('run-old', (f) => merged.push(f.taskId), { stage: 'merged' });
  t.teardown(() => sub.stop());
  await waitFor(() => mergerErrors.length > 0, 'the merged subscription to report');
  t.match(mergerErrors[0]!.message, /subscribeFragments\(run-old, merged\): stream RELUREC_FRAGMENTS does not capture the merged stage/);
  t.same((await jsm.streams.info('RELUREC_FRAGMENTS')).config.subjects, ['relurec.*.fragments'], 'unchanged by the merger');

  // The coordinator's client adds it on connect; the waiting subscription then reads the stage.
  const coordinator = await connectNatsBus({ ...BASE, servers: server.url, user: 'coordinator', pass: 'c-secret' });
  t.teardown(() => coordinator.close());
  t.same((await jsm.streams.info('RELUREC_FRAGMENTS')).config.subjects, ['relurec.*.fragments', 'relurec.*.merged']);
  await coordinator.publishFragment(answer(makeTask('run-old', 0)), { stage: 'merged' });
  await waitFor(() => merged.length === 1, 'the merged fragment, once the stream captures the stage');
  const raw: string[] = [];
  const rawSub = coordinator.subscribeFragments('run-old', (f) => raw.push(f.taskId));
  t.teardown(() => rawSub.stop());
  await waitFor(() => raw.length === 1, 'the raw fragment published before the update');
  // Connecting again changes nothing.
  const again = await connectNatsBus({ ...BASE, servers: server.url, user: 'coordinator', pass: 'c-secret' });
  await again.close();
  t.same((await jsm.streams.info('RELUREC_FRAGMENTS')).config.subjects, ['relurec.*.fragments', 'relurec.*.merged'], 'idempotent');
  t.same(errors.map((e) => e.message), [], 'the worker reported nothing');
});
