import t from 'tap';
import { jetstreamManager } from '@nats-io/jetstream';
import type { FragmentMessage } from '@relurec/protocol';
import { startNatsCluster } from '../../../test/helpers/natsServer.js';
import { connectNatsBus } from '../src/index.js';
import { answer, makeRecord, makeStatus, makeTask } from './contract/messages.js';
import { waitFor } from './contract/waitFor.js';

t.test('NatsBus - a 3-node cluster with replicas 3 keeps working when a node is killed', async (t) => {
  const t0 = Date.now();
  const lap = (what: string) => t.comment(`${what}: ${Date.now() - t0} ms`);
  const cluster = await startNatsCluster(3);
  lap('cluster up');
  t.teardown(() => cluster.stop());
  const options = {
    servers: cluster.urls,
    replicas: 3,
    reconnectTimeWaitMs: 100,
    pullExpiresMs: 1000,
    requestTimeoutMs: 1000,
    onError: () => undefined,
  };
  const coordinator = await connectNatsBus(options);
  t.teardown(() => coordinator.close());
  const worker = await connectNatsBus({ ...options, workerId: 'w' });
  t.teardown(() => worker.close());

  const jsm = await jetstreamManager(coordinator.connection);
  for (const stream of ['RELUREC_TASKS', 'RELUREC_FRAGMENTS', 'KV_relurec-runs', 'KV_relurec-status', 'OBJ_relurec-models']) {
    const info = await jsm.streams.info(stream);
    t.equal(info.config.num_replicas, 3, `${stream} has 3 replicas`);
  }

  const fragments = new Map<string, FragmentMessage>();
  const sub = coordinator.subscribeFragments('run-cluster', (f) => fragments.set(f.taskId, f));
  t.teardown(() => sub.stop());
  const serving = worker.serveTasks(async (task) => answer(task, 'w'), { concurrency: 2, ackWaitMs: 1000 });
  t.teardown(() => serving.stop());
  await coordinator.putRun(makeRecord('run-cluster'));
  await coordinator.putBlob('run-cluster/net.json', new Uint8Array(300_000).fill(7));
  await coordinator.publishTasks(Array.from({ length: 10 }, (_, i) => makeTask('run-cluster', i)));
  await waitFor(() => fragments.size === 10, '10 fragments with every node up', 20_000);
  lap('10 fragments');

  // The hard case: the node that leads the task stream goes, and a new leader must be elected.
  const leader = (await jsm.streams.info('RELUREC_TASKS')).cluster?.leader;
  const doomed = cluster.nodes.find((node) => node.serverName === leader);
  t.ok(doomed, `the leader of RELUREC_TASKS (${leader}) is a node of the cluster`);
  await doomed!.kill9();
  lap('stream leader killed');
  await coordinator.publishTasks(Array.from({ length: 10 }, (_, i) => makeTask('run-cluster', 10 + i)));
  lap('published after the kill');
  await waitFor(() => fragments.size === 20, '10 more fragments with a node down', 30_000);
  lap('20 fragments');
  t.same(await worker.getRun('run-cluster'), makeRecord('run-cluster'), 'the run record is still there');
  t.equal((await worker.getBlob('run-cluster/net.json'))?.length, 300_000, 'and the blob');
  await coordinator.putStatus(makeStatus('run-cluster', 20));
  t.same(await worker.getStatus('run-cluster'), makeStatus('run-cluster', 20), 'KV writes work');
  const replay: string[] = [];
  const late = worker.subscribeFragments('run-cluster', (f) => replay.push(f.taskId));
  t.teardown(() => late.stop());
  await waitFor(() => replay.length === 20, 'a late subscriber replays all 20', 20_000);
  lap('replayed');
});
