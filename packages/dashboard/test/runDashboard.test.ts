// Clock times print in local time: pin the zone before any Date is formatted.
process.env.TZ = 'UTC';

import { EventEmitter } from 'node:events';
import t from 'tap';
import type { Heartbeat, RunEvent, RunStatus } from '@relurec/protocol';
import { runDashboard, type DashboardBus } from '../src/index.js';
import { makeBeat, makeEvent, makeStatus, T0 } from './fixtures/messages.js';
import { waitFor } from './fixtures/waitFor.js';

/**
 * The three subscriptions the dashboard uses, in memory: enough to unit-test the view. The real
 * buses (in-process and NATS) have their own tests; the NATS end-to-end test of the dashboard comes
 * with the NATS bus.
 */
class MemoryBus implements DashboardBus {
  readonly beats = new Set<(beat: Heartbeat) => void>();
  readonly statusWatchers = new Set<(status: RunStatus) => void>();
  readonly events = new Set<(event: RunEvent) => void>();
  readonly statuses = new Map<string, RunStatus>();

  subscribeHeartbeats(handler: (beat: Heartbeat) => void) {
    return this.#subscribe(this.beats, handler);
  }
  watchStatus(handler: (status: RunStatus) => void) {
    // As the Bus promises: the current status of every run first, then every update.
    for (const status of this.statuses.values()) handler(status);
    return this.#subscribe(this.statusWatchers, handler);
  }
  subscribeEvents(handler: (event: RunEvent) => void) {
    return this.#subscribe(this.events, handler);
  }

  beat(beat: Heartbeat): void {
    for (const h of this.beats) h(beat);
  }
  status(status: RunStatus): void {
    this.statuses.set(status.runId, status);
    for (const h of this.statusWatchers) h(status);
  }
  event(event: RunEvent): void {
    for (const h of this.events) h(event);
  }
  get subscribers(): number {
    return this.beats.size + this.statusWatchers.size + this.events.size;
  }

  #subscribe<T>(set: Set<(x: T) => void>, handler: (x: T) => void) {
    set.add(handler);
    return { stop: async () => void set.delete(handler) };
  }
}

/** A stdout that keeps what is written; a terminal (for ink) when isTTY. */
class FakeStdout extends EventEmitter {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 120;
  rows = 40;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/** A terminal stdin that ink can read keys from (as ink-testing-library's). */
class FakeStdin extends EventEmitter {
  isTTY = true;
  #data: string | null = null;
  type(data: string): void {
    this.#data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const data = this.#data;
    this.#data = null;
    return data;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const asStdout = (s: FakeStdout) => s as unknown as NodeJS.WriteStream;
const asStdin = (s: FakeStdin) => s as unknown as NodeJS.ReadStream;

t.test('runDashboard - without a terminal: one status line per interval, from what the bus delivered', async (t) => {
  const bus = new MemoryBus();
  bus.status(makeStatus('r1', T0 - 10_000, { startedAt: T0 - 20_000, queries: 1000, budget: 10_000 }));
  const stdout = new FakeStdout(false);
  const clock = { now: T0 };
  const dashboard = runDashboard({ bus, stdout: asStdout(stdout), stdin: asStdin(new FakeStdin()), isTTY: false, clock: () => clock.now, intervalMs: 10 });
  t.equal(bus.subscribers, 3, 'subscribed to heartbeats, statuses and events');
  bus.beat(makeBeat('w1', T0, { state: 'busy' }));
  bus.beat(makeBeat('w2', T0));
  bus.status(makeStatus('r1', T0, { startedAt: T0 - 20_000, layer: 1, neurons: [3], tasksIssued: 8, tasksDone: 2, queries: 3000, budget: 10_000 }));
  bus.event(makeEvent('task-retry', T0));
  await waitFor(() => stdout.chunks.length >= 2, 'two status lines');
  await dashboard.stop();
  t.equal(bus.subscribers, 0, 'stop unsubscribes');
  const count = stdout.chunks.length;
  // 2000 queries in 10 s = 200/s; 7000 left = 35 s.
  t.equal(
    stdout.chunks[count - 1],
    "12:00:00 workers 2 (1 busy, 1 idle) | run r1 layer 1 phase 'layer 1: segments' neurons 3 tasks 2/8 queries 3000/10000 200/s ETA 35s\n",
  );
  t.ok(stdout.chunks.every((c) => c.endsWith('\n') && !c.includes('\x1b')), 'plain lines, no escape codes');
  await new Promise((resolve) => setTimeout(resolve, 40));
  t.equal(stdout.chunks.length, count, 'no line after stop');
  await dashboard.closed;
  await dashboard.stop();
  t.pass('stop twice is safe');
});

t.test("runDashboard - on a terminal: the ink view; 'q' stops it and unsubscribes", async (t) => {
  const bus = new MemoryBus();
  const stdout = new FakeStdout(true);
  const stdin = new FakeStdin();
  const clock = { now: T0 };
  const dashboard = runDashboard({ bus, stdout: asStdout(stdout), stdin: asStdin(stdin), isTTY: true, clock: () => clock.now, intervalMs: 10 });
  bus.beat(makeBeat('w-tty', T0, { state: 'busy' }));
  bus.status(makeStatus('r-tty', T0, { neurons: [4, 2], layer: 2 }));
  // Let a frame or two pass with the new data, then quit with 'q'.
  await new Promise((resolve) => setTimeout(resolve, 60));
  stdin.type('q');
  await dashboard.closed;
  t.equal(bus.subscribers, 0, "'q' unsubscribes");
  // With CI set, ink writes the last frame only when it unmounts: read the output after the stop.
  t.match(stdout.text, /w-tty/);
  t.match(stdout.text, /neurons L1 4 {2}L2 2/);
});

t.test('runDashboard - stop() on a terminal unmounts the view', async (t) => {
  const bus = new MemoryBus();
  const stdout = new FakeStdout(true);
  const dashboard = runDashboard({ bus, stdout: asStdout(stdout), stdin: asStdin(new FakeStdin()), isTTY: true, intervalMs: 10 });
  await dashboard.stop();
  await dashboard.closed;
  t.equal(bus.subscribers, 0);
  t.match(stdout.text, /relurec dashboard/);
});

t.test('runDashboard - a failing unsubscribe rejects stop() and closed, after the others stopped', async (t) => {
  const bus = new MemoryBus();
  const failing: DashboardBus = {
    subscribeHeartbeats: (h) => bus.subscribeHeartbeats(h),
    watchStatus: (h) => {
      bus.watchStatus(h);
      return { stop: async () => Promise.reject(new Error('connection closed')) };
    },
    subscribeEvents: (h) => bus.subscribeEvents(h),
  };
  const dashboard = runDashboard({ bus: failing, stdout: asStdout(new FakeStdout(false)), stdin: asStdin(new FakeStdin()), isTTY: false });
  await t.rejects(dashboard.stop(), /connection closed/);
  await t.rejects(dashboard.closed, /connection closed/);
  t.equal(bus.beats.size + bus.events.size, 0);
});

t.test('runDashboard - a bad interval throws a RangeError that names it', async (t) => {
  const bus = new MemoryBus();
  t.throws(
    () => runDashboard({ bus, stdout: asStdout(new FakeStdout(false)), stdin: asStdin(new FakeStdin()), isTTY: false, intervalMs: 0 }),
    { name: 'RangeError', message: /options\.intervalMs must be a positive number/ },
  );
  t.equal(bus.subscribers, 0, 'nothing subscribed');
});

t.test('runDashboard - a bus that refuses a subscription: the error is thrown and the others are stopped', async (t) => {
  const bus = new MemoryBus();
  const refusing: DashboardBus = {
    subscribeHeartbeats: (h) => bus.subscribeHeartbeats(h),
    watchStatus: (h) => bus.watchStatus(h),
    subscribeEvents: () => {
      throw new Error('bus closed');
    },
  };
  t.throws(() => runDashboard({ bus: refusing, stdout: asStdout(new FakeStdout(false)), stdin: asStdin(new FakeStdin()), isTTY: false }), /bus closed/);
  await waitFor(() => bus.subscribers === 0, 'the two subscriptions made to stop');
  t.pass();
});
