import { join } from 'node:path';
import React from 'react';
import t from 'tap';
import { render } from 'ink-testing-library';
import { connectNatsBus } from '@relurec/bus';
import { Dashboard, DashboardModel } from '@relurec/dashboard';
import { generateNetwork, saveNetwork } from '@relurec/network';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { startRelurec, waitFor } from '../../../test/helpers/relurecProcess.js';

// Issue 6: the dashboard against a real nats-server and real heartbeating worker processes.
t.test('dashboard - real workers appear, a run shows its layers, a worker killed turns lost', async (t) => {
  const server = await startNatsServer();
  t.teardown(server.stop);
  const nats = ['--nats', server.url];
  const workers = [0, 1].map(() => startRelurec(t, ['worker', ...nats, '--threads', '1', '--heartbeat-ms', '200']));
  const ids = await Promise.all(workers.map(async (w) => {
    let id = '';
    await waitFor(() => (id = /relurec worker (\S+):/.exec(w.stderr())?.[1] ?? '') !== '', 20_000, 'worker started');
    return id;
  }));
  const bus = await connectNatsBus({ servers: server.url, name: 'test-dashboard' });
  t.teardown(() => bus.close());
  const model = new DashboardModel({ missedBeats: 3 });
  const subs = [bus.subscribeHeartbeats((b) => model.applyHeartbeat(b)), bus.watchStatus((s) => model.applyStatus(s)), bus.subscribeEvents((e) => model.applyEvent(e))];
  t.teardown(() => Promise.all(subs.map((s) => s.stop())));
  let exited = false;
  const view = render(React.createElement(Dashboard, { snapshot: () => model.snapshot(), intervalMs: 100, onExit: () => (exited = true) }));
  t.teardown(() => view.unmount());
  const frame = () => view.lastFrame() ?? '';
  await waitFor(() => ids.every((id) => frame().includes(id.slice(0, 12))), 10_000, `both workers on screen:\n${frame()}`);
  t.pass('both workers are listed from their heartbeats');

  // A run: the coordinator drives it; the runs panel shows its target and layer counts.
  const dir = t.testdir({});
  const target = join(dir, 'net.json');
  await saveNetwork(target, generateNetwork({ architecture: [8, 8, 1], seed: 3 }));
  startRelurec(t, ['coordinator', ...nats]);
  startRelurec(t, ['merger', ...nats]);
  const recover = startRelurec(t, ['recover', ...nats, '--target', target, '--out', join(dir, 'rec.json')]);
  t.equal(await recover.exited, 0, 'the run completes');
  const runId = /run (run-[\w-]+)/.exec(recover.stderr())![1];
  await waitFor(() => frame().includes(`${runId} complete`), 10_000, `the finished run on screen:\n${frame()}`);
  t.match(frame(), /neurons L1 8\b/, 'with its 8 layer-1 neurons');

  await workers[0].kill9();
  await waitFor(() => frame().split('\n').some((line) => line.includes(ids[0].slice(0, 12)) && /lost/.test(line)), 10_000, `the killed worker turns lost:\n${frame()}`);
  t.pass('the killed worker is shown as lost');
  t.ok(model.snapshot().log.some((l) => /lost/.test(l.message)), 'and the event log says so');
  view.stdin.write('q');
  await waitFor(() => exited, 2000, 'q quits');
  t.pass('q quits');
});

t.test('dashboard - without a TTY it prints one plain status line per interval', async (t) => {
  const server = await startNatsServer();
  t.teardown(server.stop);
  startRelurec(t, ['worker', '--nats', server.url, '--threads', '1', '--heartbeat-ms', '200']);
  const dash = startRelurec(t, ['dashboard', '--nats', server.url, '--interval-ms', '200']);
  await waitFor(() => /workers 1 \(/.test(dash.stdout()), 15_000, `a status line with the worker: ${dash.stdout()}${dash.stderr()}`);
  const lines = dash.stdout().trim().split('\n');
  t.match(lines.at(-1), /^\d\d:\d\d:\d\d workers 1 \(/, 'time-stamped plain lines');
  t.notMatch(dash.stdout(), /\u001b\[/, 'no terminal escapes');
  t.equal(await dash.stop(), 0, 'SIGTERM ends it cleanly');
});
