import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { FragmentMessage, RunStatus } from '@relurec/protocol';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { connectNatsBus } from '../src/index.js';
import { answer, makeStatus, makeTask } from './contract/messages.js';
import { sleep, waitFor } from './contract/waitFor.js';

const here = dirname(fileURLToPath(import.meta.url));

t.test('NatsBus - a worker killed with SIGKILL mid-task: the task goes to another consumer after ackWait', async (t) => {
  const ackWaitMs = 1000;
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  const bus = await connectNatsBus({ servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000, workerId: 'survivor' });
  t.teardown(() => bus.close());
  const fragments: FragmentMessage[] = [];
  const sub = bus.subscribeFragments('run-kill', (f) => fragments.push(f));
  t.teardown(() => sub.stop());

  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'hangingWorker.ts'), server.url, String(ackWaitMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await waitFor(() => out.includes('serving'), 'the child worker to serve', 20_000);
  await bus.publishTasks([makeTask('run-kill', 0)]);
  await waitFor(() => out.includes('started 00001.00000'), 'the child to start the task');

  let served = 0;
  const serving = bus.serveTasks(
    async (task) => {
      served++;
      return answer(task, 'survivor');
    },
    { concurrency: 1, ackWaitMs },
  );
  t.teardown(() => serving.stop());
  await sleep(2.5 * ackWaitMs);
  t.equal(served, 0, 'while the child lives, its progress acks keep the task (2.5 x ackWait)');

  const killedAt = Date.now();
  child.kill('SIGKILL');
  await waitFor(() => fragments.length === 1, 'the fragment from the other consumer', 10_000);
  const after = Date.now() - killedAt;
  t.equal(served, 1);
  t.equal(fragments[0]!.workerId, 'survivor');
  t.equal(fragments[0]!.failure, undefined);
  t.ok(after < 4 * ackWaitMs, `redelivered ${after} ms after the kill (ackWait ${ackWaitMs} ms)`);
});

t.test('NatsBus - nats-server restarted (graceful, then SIGKILL) mid-stream: no task, fragment or status is lost', async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  const options = { servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000, onError: () => undefined };
  const coordinator = await connectNatsBus(options);
  t.teardown(() => coordinator.close());
  const worker = await connectNatsBus({ ...options, workerId: 'w1' });
  t.teardown(() => worker.close());

  const fragments = new Map<string, FragmentMessage>();
  let delivered = 0;
  const sub = coordinator.subscribeFragments('run-restart', (f) => {
    delivered++;
    fragments.set(f.taskId, f);
  });
  t.teardown(() => sub.stop());
  const statuses: RunStatus[] = [];
  const watch = coordinator.watchStatus((s) => statuses.push(s));
  t.teardown(() => watch.stop());
  const serving = worker.serveTasks(
    async (task) => {
      await sleep(40);
      return answer(task, 'w1');
    },
    { concurrency: 2, ackWaitMs: 1000 },
  );
  t.teardown(() => serving.stop());

  await coordinator.publishTasks(Array.from({ length: 30 }, (_, i) => makeTask('run-restart', i)));
  await waitFor(() => fragments.size >= 5, 'some fragments before the restart');
  await server.restart();
  t.pass(`server restarted with ${fragments.size} fragments in`);
  await coordinator.publishTasks(Array.from({ length: 10 }, (_, i) => makeTask('run-restart', 30 + i)));
  await coordinator.putStatus(makeStatus('run-restart', 1));
  await waitFor(() => fragments.size >= 35, 'more fragments after the restart', 20_000);

  await server.kill9();
  await server.restart();
  t.pass('server killed with SIGKILL and started again');
  await coordinator.putStatus(makeStatus('run-restart', 2));
  await waitFor(() => fragments.size === 40, 'every one of the 40 fragments', 30_000);
  await waitFor(() => statuses.some((s) => s.tasksDone === 2), 'the status written after the crash reaches the watcher', 20_000);

  t.same([...fragments.keys()].sort(), Array.from({ length: 40 }, (_, i) => makeTask('run-restart', i).taskId));
  t.ok(delivered >= 40, `at least once: ${delivered} deliveries for 40 fragments`);
  t.equal(coordinator.rejected + worker.rejected, 0);
  const late: string[] = [];
  const replay = coordinator.subscribeFragments('run-restart', (f) => late.push(f.taskId));
  t.teardown(() => replay.stop());
  await waitFor(() => late.length === 40, 'a late subscriber replays all 40 from the file store');
});
