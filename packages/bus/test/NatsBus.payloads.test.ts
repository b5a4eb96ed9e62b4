import t from 'tap';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { headers } from '@nats-io/transport-node';
import type { FragmentMessage, TaskMessage } from '@relurec/protocol';
import { encode, Subject } from '@relurec/protocol';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { connectNatsBus } from '../src/index.js';
import { answer, makeTask } from './contract/messages.js';
import { waitFor } from './contract/waitFor.js';
import { deployPermissions } from './fixtures/deployPermissions.js';

/** A server that refuses messages over 64 KiB, as a default server refuses those over 1 MB. */
const MAX_PAYLOAD = 64 * 1024;
const USERS = [
  { user: 'coordinator', password: 'c-secret', permissions: deployPermissions('COORDINATOR') },
  { user: 'worker', password: 'w-secret', permissions: deployPermissions('WORKER') },
  { user: 'merger', password: 'm-secret', permissions: deployPermissions('MERGER') },
];

/** A task whose input (n float64 values) is far over max_payload. */
function bigTask(runId: string, index: number, n: number): TaskMessage {
  const task = makeTask(runId, index);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i + index) * 1e3 + i / 7;
  return { ...task, input: { x } };
}

t.test('NatsBus - tasks and fragments over max_payload travel through the payload store, with the deployed permissions', async (t) => {
  const server = await startNatsServer({ jetstream: true, auth: { users: USERS }, config: `max_payload: ${MAX_PAYLOAD}` });
  t.teardown(() => server.stop());
  const base = { servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 2000 };
  const errors: Error[] = [];
  const coordinator = await connectNatsBus({ ...base, user: 'coordinator', pass: 'c-secret', onError: (e) => errors.push(e) });
  t.teardown(() => coordinator.close());
  await coordinator.prepareTopology({ ackWaitMs: 5000 });
  const worker = await connectNatsBus({ ...base, user: 'worker', pass: 'w-secret', workerId: 'w1', onError: (e) => errors.push(e) });
  t.teardown(() => worker.close());
  const merger = await connectNatsBus({ ...base, user: 'merger', pass: 'm-secret', onError: (e) => errors.push(e) });
  t.teardown(() => merger.close());

  const runId = 'run-big';
  const tasks = [bigTask(runId, 0, 20_000), makeTask(runId, 1), bigTask(runId, 2, 30_000)];
  t.ok(encode(tasks[0]).length > 2 * MAX_PAYLOAD, 'the task is over twice max_payload');

  const served: TaskMessage[] = [];
  const serving = worker.serveTasks(async (task) => {
    served.push(task);
    return answer(task, 'w1');
  }, { concurrency: 1, ackWaitMs: 5000 });
  t.teardown(() => serving.stop());

  const raw: FragmentMessage[] = [];
  const rawSub = merger.subscribeFragments(runId, (f) => raw.push(f));
  t.teardown(() => rawSub.stop());
  await coordinator.publishTasks(tasks);
  await waitFor(() => raw.length === 3, 'three raw fragments', 20_000);

  const byId = new Map(raw.map((f) => [f.taskId, f]));
  for (const task of tasks) {
    const x = (task.input as { x: Float64Array }).x;
    t.same(Array.from((served.find((s) => s.taskId === task.taskId)!.input as { x: Float64Array }).x), Array.from(x), `task ${task.taskId} reached the worker intact`);
    const y = (byId.get(task.taskId)!.output as { y: Float64Array }).y;
    t.ok(y instanceof Float64Array, 'still a Float64Array');
    t.same(Array.from(y), Array.from(x, (v) => v * v), `fragment ${task.taskId} bit for bit`);
  }

  // The merger republishes the large ones to the merged stage under its own permissions.
  const merged: FragmentMessage[] = [];
  const mergedSub = coordinator.subscribeFragments(runId, (f) => merged.push(f), { stage: 'merged' });
  t.teardown(() => mergedSub.stop());
  for (const f of raw) await merger.publishFragment(f, { stage: 'merged' });
  await waitFor(() => merged.length === 3, 'three merged fragments', 20_000);
  t.same(merged.map((f) => f.taskId), raw.map((f) => f.taskId), 'merged stage in publication order');
  t.same(Array.from((merged[2].output as { y: Float64Array }).y), Array.from((raw[2].output as { y: Float64Array }).y));

  // On the stream, the large messages are references: an empty body and the payload's name.
  const jsm = await jetstreamManager(coordinator.connection);
  const stored = await Promise.all([1, 2, 3].map((seq) => jsm.streams.getMessage('RELUREC_FRAGMENTS', { seq })));
  const refs = stored.filter((m) => m !== null && m.data.length === 0).map((m) => m!.header?.get('Relurec-Payload') ?? '');
  t.equal(refs.length, 2, 'the two big fragments are references (empty bodies), the small one inline');
  for (const name of refs) t.match(name, /^run-big\/00001\.0000[02]\/raw\//, 'the reference names the run and task');
  const store = await new Objm(jetstream(coordinator.connection)).open('relurec-payloads');
  for (const name of refs) t.ok((await store.getBlob(name)) !== null, `${name} is in relurec-payloads`);
  t.equal(coordinator.rejected + worker.rejected + merger.rejected, 0, 'nothing rejected');
  t.same(errors.map((e) => e.message), [], 'no background errors');
});

t.test('NatsBus - a reference to a payload that is not stored is rejected and counted; the read goes on in order', async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  const base = { servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 2000, inlinePayloadBytes: 4096 };
  const bus = await connectNatsBus({ ...base, onError: () => undefined });
  t.teardown(() => bus.close());
  await bus.prepareTopology();
  const runId = 'run-dangling';
  const got: string[] = [];
  const sub = bus.subscribeFragments(runId, (f) => got.push(f.taskId));
  t.teardown(() => sub.stop());

  const h = headers();
  h.set('Relurec-Payload', `${runId}/nowhere`);
  await jetstream(bus.connection).publish(Subject.fragments(runId), new Uint8Array(0), { headers: h });
  const big = bigTask(runId, 5, 2000);
  await bus.publishFragment(answer(big));
  await bus.publishFragment(answer(makeTask(runId, 6)));
  await waitFor(() => got.length === 2, 'the two good fragments', 20_000);
  t.same(got, [big.taskId, makeTask(runId, 6).taskId], 'the good ones, in order');
  t.equal(bus.rejected, 1, 'the dangling reference is counted');

  // The option is checked like the others.
  await t.rejects(connectNatsBus({ servers: server.url, inlinePayloadBytes: 0 }), { name: 'RangeError', message: /options\.inlinePayloadBytes must be an integer >= 1/ });
});
