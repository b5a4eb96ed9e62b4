// Clock times print in local time: pin the zone before any Date is formatted.
process.env.TZ = 'UTC';

import t from 'tap';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { Dashboard, DashboardModel, EventLog, RunsPanel, WorkersTable } from '../src/index.js';
import { makeBeat, makeEvent, makeStatus, T0 } from './fixtures/messages.js';
import { waitFor } from './fixtures/waitFor.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';

/** Three workers (one lost) and two runs, as of T0 + 5 s. */
function scene() {
  const clock = { now: T0 };
  const model = new DashboardModel({ clock: () => clock.now });
  model.applyHeartbeat(makeBeat('w-lost', T0, { host: 'box-9', pid: 999 }));
  clock.now = T0 + 5000;
  model.applyHeartbeat(makeBeat('w-busy', clock.now, { state: 'busy', current: [{ runId: 'r1', taskId: '00003.00007', kind: 'trace' }], tasksDone: 12 }));
  model.applyHeartbeat(makeBeat('w-idle', clock.now, { rss: 200 * 1024 * 1024 }));
  model.applyStatus(
    makeStatus('r1', clock.now, { target: 'net.json', phase: 'layer 2: traces', layer: 2, neurons: [20, 18], queries: 12_000, budget: 100_000, tasksIssued: 20, tasksDone: 18 }),
  );
  model.applyStatus(makeStatus('r2', clock.now, { startedAt: T0 + 1000, target: 'http://oracle:8080', phase: 'layer 1: segments', neurons: [5], queries: 700 }));
  model.applyEvent(makeEvent('task-retry', clock.now, { level: 'warn', message: 'task 00003.00002 timed out, retried' }));
  return { model, clock };
}

t.test('WorkersTable - one row per worker: ids, states (lost first), current task, memory', async (t) => {
  const { model } = scene();
  const snap = model.snapshot();
  const { lastFrame, unmount } = render(createElement(WorkersTable, { workers: snap.workers, totals: snap.totals }));
  t.teardown(unmount);
  const frame = lastFrame() ?? '';
  t.match(frame, /workers 3 \(1 busy, 1 idle, 1 lost\)/);
  t.match(frame, /ID\s+HOST\s+PID\s+STATE\s+TASK\s+DONE\s+Q\/S\s+CPU\s+MEM\s+BEAT\s+ERR/);
  const rows = frame.split('\n').filter((l) => l.startsWith('w-'));
  t.equal(rows.length, 3);
  t.match(rows[0], /^w-lost\s+box-9\s+999\s+lost\s+-/, 'the lost worker first, running nothing');
  t.match(rows[1], /^w-busy\s+host-a\s+1000\s+busy\s+r1\/00003\.00007 trace\s+12 /);
  t.match(rows[2], /^w-idle .* 200MiB\s+0s\s+0$/);
});

t.test('WorkersTable - rows past maxRows are summarised', async (t) => {
  const { model } = scene();
  const snap = model.snapshot();
  const { lastFrame, unmount } = render(createElement(WorkersTable, { workers: snap.workers, totals: snap.totals, maxRows: 1 }));
  t.teardown(unmount);
  const frame = lastFrame() ?? '';
  t.match(frame, /w-lost/);
  t.notMatch(frame, /w-busy/);
  t.match(frame, /… 2 more workers/);
});

t.test('RunsPanel - lists the runs and details the selected one: layer counts, budget, ETA', async (t) => {
  const { model } = scene();
  const snap = model.snapshot();
  const { lastFrame, unmount } = render(createElement(RunsPanel, { runs: snap.runs, selectedRunId: 'r1' }));
  t.teardown(unmount);
  const frame = lastFrame() ?? '';
  t.match(frame, /› r1 running · layer 2 · layer 2: traces · 12\.0k\/100k queries/);
  t.match(frame, /^ {2}r2 running · layer 1 ·/m);
  t.match(frame, /r1 net\.json · running/);
  t.match(frame, /neurons L1 20 {2}L2 18/);
  t.match(frame, /queries 12000 \/ 100000 · 2400\/s · tasks 18\/20/, '12000 queries in the 5 s since the start');
  t.match(frame, /12% ETA 36s \(budget\)/, '88000 left at 2400/s = 36.7 s');
});

t.test('EventLog - the latest lines with time, level, kind and message', async (t) => {
  const { model } = scene();
  const { lastFrame, unmount } = render(createElement(EventLog, { entries: model.snapshot().log, maxLines: 2 }));
  t.teardown(unmount);
  const lines = (lastFrame() ?? '').split('\n');
  t.equal(lines[0], 'events');
  t.equal(lines.length, 3, 'the title and two lines');
  t.equal(lines[1], '12:00:05 warn  task-retry [r1] task 00003.00002 timed out, retried');
  t.equal(lines[2], '12:00:05 warn  worker-lost w-lost lost: no heartbeat for 5.0s (3 beats of 1000ms missed)', "the model's own line, noticed at snapshot time");
});

t.test('Dashboard - shows workers, runs and events; down and up move between runs', async (t) => {
  const { model } = scene();
  let exits = 0;
  const { lastFrame, stdin, unmount } = render(createElement(Dashboard, { snapshot: () => model.snapshot(), onExit: () => exits++, intervalMs: 1000 }));
  t.teardown(unmount);
  const frame = () => lastFrame() ?? '';
  t.match(frame(), /relurec dashboard 12:00:05/);
  for (const id of ['w-lost', 'w-busy', 'w-idle']) t.match(frame(), id);
  t.match(frame(), /\blost\b/);
  t.match(frame(), /neurons L1 20 {2}L2 18/, 'the first running run is selected');
  t.match(frame(), /task-retry/);

  stdin.write(DOWN);
  await waitFor(() => /› r2/.test(frame()), 'r2 to be selected');
  t.match(frame(), /r2 http:\/\/oracle:8080 · running/);
  t.match(frame(), /neurons L1 5/);
  t.match(frame(), /queries 700 \(no budget\)/);

  stdin.write(DOWN);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.match(frame(), /› r2/, 'down on the last run stays there');

  stdin.write(UP);
  await waitFor(() => /› r1/.test(frame()), 'r1 to be selected again');
  t.equal(exits, 0);
});

t.test("Dashboard - 'q' calls onExit", async (t) => {
  const { model } = scene();
  let exits = 0;
  const { stdin, unmount } = render(createElement(Dashboard, { snapshot: () => model.snapshot(), onExit: () => exits++ }));
  t.teardown(unmount);
  stdin.write('x');
  stdin.write('q');
  await waitFor(() => exits > 0, 'onExit');
  t.equal(exits, 1);
});

t.test('Dashboard - redraws every intervalMs with a fresh snapshot', async (t) => {
  const { model, clock } = scene();
  const { lastFrame, unmount } = render(createElement(Dashboard, { snapshot: () => model.snapshot(), onExit: () => {}, intervalMs: 20 }));
  t.teardown(unmount);
  t.notMatch(lastFrame() ?? '', /w-new/);
  model.applyHeartbeat(makeBeat('w-new', clock.now));
  await waitFor(() => /w-new/.test(lastFrame() ?? ''), 'the new worker to show');
  t.match(lastFrame() ?? '', /workers 4/);
});

t.test('Dashboard - on a short, narrow terminal the frame stays shorter and no wider than it', async (t) => {
  const { render: inkRender } = await import('ink');
  const { EventEmitter } = await import('node:events');
  const { model, clock } = scene();
  for (let i = 0; i < 40; i++) model.applyHeartbeat(makeBeat(`worker-with-a-long-name-${i}`, clock.now, { host: 'a-rather-long-host-name.example' }));
  for (let i = 0; i < 12; i++) model.applyStatus(makeStatus(`run-${i}`, clock.now, { startedAt: T0 + 2000 + i }));
  const frames: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { isTTY: true, columns: 80, rows: 30, write: (frame: string) => frames.push(frame) });
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null });
  // debug: every render is written whole, one frame per write.
  const app = inkRender(createElement(Dashboard, { snapshot: () => model.snapshot(), onExit: () => {} }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  t.teardown(() => app.unmount());
  const lines = frames[frames.length - 1].split('\n');
  t.ok(lines.length < 30, `a full-height frame makes ink clear the screen at each redraw (${lines.length} lines)`);
  t.ok(lines.every((l) => l.replace(/\x1b\[[0-9;]*m/g, '').length <= 80), 'lines are cut, not wrapped');
  t.match(frames[frames.length - 1], /more workers/, 'the rest of the workers are counted');
  t.match(frames[frames.length - 1], /runs 14 \(14 running\) · 1-5 shown/);
});
