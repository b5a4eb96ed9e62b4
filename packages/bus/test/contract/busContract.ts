import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import t from 'tap';
import type { Bus } from '../../src/index.js';
import type { FragmentMessage, Heartbeat, RunEvent, RunStatus, TaskMessage } from '@relurec/protocol';
import { encode, Subject } from '@relurec/protocol';
import { answer, makeRecord, makeStatus, makeTask } from './messages.js';
import { sleep, waitFor } from './waitFor.js';

/** A bus under contract test: the Bus interface plus raw publishing, to play a broken client. */
export interface ContractBus extends Bus {
  publishRaw(subject: string, bytes: Uint8Array): Promise<void>;
}

/** Options every implementation under test accepts (short delays keep the suite fast). */
export interface ContractBusOptions {
  maxDeliver?: number;
  retryDelayMs?: number;
}

/**
 * Makes buses over one fresh backend for one test (a fresh in-process bus, or clients of a fresh
 * nats-server), registering their teardown with `t`. Two calls may return one shared bus.
 */
export type BusFactory = (t: Test) => Promise<(options?: ContractBusOptions) => Promise<ContractBus>>;

/** Short ack wait for tests: a lost task comes back within about a second. */
const ACK_WAIT_MS = 1000;

/**
 * The behaviour every Bus implementation promises (Bus.ts). Registers one tap subtest per promise,
 * named `${name} - ...`.
 */
export function busContract(name: string, factory: BusFactory): void {
  t.test(`${name} - publish, serve and receive fragments (typed arrays intact)`, async (t) => {
    const bus = await (await factory(t))();
    const got = new Map<string, FragmentMessage>();
    const sub = bus.subscribeFragments('run-a', (f) => got.set(f.taskId, f));
    t.teardown(() => sub.stop());
    const serving = bus.serveTasks(async (task) => answer(task), { concurrency: 2, ackWaitMs: ACK_WAIT_MS });
    t.teardown(() => serving.stop());
    await bus.publishTasks([0, 1, 2].map((i) => makeTask('run-a', i)));
    await waitFor(() => got.size === 3, '3 fragments');
    const y = (got.get('00001.00002')!.output as { y: Float64Array }).y;
    t.ok(y instanceof Float64Array, 'output arrives as a Float64Array');
    t.same(Array.from(y), [4, 6.25]);
    t.equal(bus.rejected, 0);
  });

  t.test(`${name} - a handler that throws has its task redelivered; the second attempt's fragment arrives`, async (t) => {
    const bus = await (await factory(t))({ retryDelayMs: 50 });
    const attempts = new Map<string, number>();
    const events: RunEvent[] = [];
    const eventSub = bus.subscribeEvents((e) => events.push(e));
    t.teardown(() => eventSub.stop());
    const fragments: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-b', (f) => fragments.push(f));
    t.teardown(() => sub.stop());
    const serving = bus.serveTasks(
      async (task) => {
        const n = (attempts.get(task.taskId) ?? 0) + 1;
        attempts.set(task.taskId, n);
        if (n === 1) throw new Error('flaky oracle');
        return answer(task);
      },
      { concurrency: 1, ackWaitMs: ACK_WAIT_MS },
    );
    t.teardown(() => serving.stop());
    await bus.publishTasks([makeTask('run-b', 0)]);
    await waitFor(() => fragments.length === 1, 'the fragment of the second attempt');
    t.equal(attempts.get('00001.00000'), 2, 'ran twice');
    t.equal(fragments[0]!.failure, undefined, 'a success, not a failure');
    await waitFor(() => events.some((e) => e.kind === 'task-retry'), 'a task-retry event');
    t.match(events.find((e) => e.kind === 'task-retry')!.message, /attempt 1 of 5.*flaky oracle/);
  });

  t.test(`${name} - a handler that always throws ends in a failure fragment after maxDeliver attempts`, async (t) => {
    const bus = await (await factory(t))({ maxDeliver: 3, retryDelayMs: 20 });
    let calls = 0;
    const fragments: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-c', (f) => fragments.push(f));
    t.teardown(() => sub.stop());
    const serving = bus.serveTasks(
      async () => {
        calls++;
        const err = new Error('out of rows');
        err.name = 'QueryBudgetExceededError';
        throw err;
      },
      { concurrency: 1, ackWaitMs: ACK_WAIT_MS },
    );
    t.teardown(() => serving.stop());
    await bus.publishTasks([makeTask('run-c', 4)]);
    await waitFor(() => fragments.length === 1, 'a failure fragment');
    t.equal(calls, 3, 'bounded: exactly maxDeliver attempts');
    t.same(fragments[0]!.failure, { name: 'QueryBudgetExceededError', message: 'out of rows', budget: true });
    t.equal(fragments[0]!.output, undefined);
    await sleep(200);
    t.equal(calls, 3, 'no attempt after the failure fragment');
  });

  t.test(`${name} - publishing a taskId twice runs it once`, async (t) => {
    const bus = await (await factory(t))();
    let calls = 0;
    const fragments: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-d', (f) => fragments.push(f));
    t.teardown(() => sub.stop());
    const task = makeTask('run-d', 9);
    await bus.publishTasks([task]);
    await bus.publishTasks([task, task]);
    const serving = bus.serveTasks(
      async (task) => {
        calls++;
        return answer(task);
      },
      { concurrency: 4, ackWaitMs: ACK_WAIT_MS },
    );
    t.teardown(() => serving.stop());
    await waitFor(() => fragments.length >= 1, 'the fragment');
    await bus.publishTasks([task]);
    await sleep(300);
    t.equal(calls, 1, 'the handler ran once');
    t.equal(fragments.length, 1, 'one fragment');
  });

  t.test(`${name} - subscribeFragments replays earlier fragments to a late subscriber, in order, then new ones`, async (t) => {
    const bus = await (await factory(t))();
    const tasks = [0, 1, 2, 3, 4].map((i) => makeTask('run-e', i));
    for (const task of tasks) await bus.publishFragment(answer(task));
    await bus.publishFragment(answer(makeTask('run-other', 0)));
    const seen: string[] = [];
    const sub = bus.subscribeFragments('run-e', (f) => seen.push(`${f.runId}/${f.taskId}`));
    t.teardown(() => sub.stop());
    await waitFor(() => seen.length === 5, '5 replayed fragments');
    await bus.publishFragment(answer(makeTask('run-e', 5)));
    await waitFor(() => seen.length === 6, 'the live fragment');
    t.same(seen, [0, 1, 2, 3, 4, 5].map((i) => `run-e/0000${1}.0000${i}`), 'only this run, in publication order');
    const second: string[] = [];
    const sub2 = bus.subscribeFragments('run-e', (f) => second.push(f.taskId));
    t.teardown(() => sub2.stop());
    await waitFor(() => second.length === 6, 'a second late subscriber gets all 6');
  });

  t.test(`${name} - the merged stage is a log of its own: subscribers, replay, order, duplicate window`, async (t) => {
    const bus = await (await factory(t))();
    const [a, b, c] = [0, 1, 2].map((i) => answer(makeTask('run-s', i)));
    await bus.publishFragment(a!);
    await bus.publishFragment(b!, { stage: 'raw' });
    await bus.publishFragment(b!, { stage: 'merged' });
    await bus.publishFragment(a!, { stage: 'merged' });
    await bus.publishFragment(b!, { stage: 'merged' });
    await bus.publishFragment(a!);
    const raw: string[] = [];
    const merged: string[] = [];
    const byDefault: string[] = [];
    const replayedAt: Record<string, number> = {};
    const subs = [
      bus.subscribeFragments('run-s', (f) => raw.push(f.taskId), { stage: 'raw', onReplayed: () => (replayedAt.raw = raw.length) }),
      bus.subscribeFragments('run-s', (f) => merged.push(f.taskId), { stage: 'merged', onReplayed: () => (replayedAt.merged = merged.length) }),
      bus.subscribeFragments('run-s', (f) => byDefault.push(f.taskId)),
      bus.subscribeFragments('run-s-empty', () => undefined, { stage: 'merged', onReplayed: () => (replayedAt.empty = (replayedAt.empty ?? 0) + 1) }),
    ];
    t.teardown(() => Promise.all(subs.map((s) => s.stop())));
    await waitFor(() => raw.length === 2 && merged.length === 2 && byDefault.length === 2, 'both stages replayed');
    await waitFor(() => Object.keys(replayedAt).length === 3, 'onReplayed of every subscription');
    t.same(replayedAt, { raw: 2, merged: 2, empty: 1 }, 'onReplayed once each, after the replayed fragments (at once on an empty stage)');
    t.same(raw, ['00001.00000', '00001.00001'], 'raw: in publication order, the second copy of a task dropped');
    t.same(merged, ['00001.00001', '00001.00000'], 'merged: its own order; a fragment on both stages is no duplicate');
    t.same(byDefault, raw, "the default stage is 'raw'");
    await bus.publishFragment(c!, { stage: 'merged' });
    await waitFor(() => merged.length === 3, 'the live merged fragment');
    await sleep(100);
    t.same(raw, ['00001.00000', '00001.00001'], 'a merged fragment never reaches a raw subscriber');
    t.equal(replayedAt.merged, 2, 'onReplayed is not called again');
    t.equal(bus.rejected, 0);
  });

  t.test(`${name} - malformed merged fragments are rejected and announced; a bad stage is refused`, async (t) => {
    const bus = await (await factory(t))();
    const events: RunEvent[] = [];
    const eventSub = bus.subscribeEvents((e) => events.push(e));
    t.teardown(() => eventSub.stop());
    const merged: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-t', (f) => merged.push(f), { stage: 'merged' });
    t.teardown(() => sub.stop());
    await sleep(100);
    const before = bus.rejected;
    await bus.publishRaw(Subject.merged('run-t'), encode({ ...answer(makeTask('run-t', 0)), workerId: '' }));
    await bus.publishFragment(answer(makeTask('run-t', 1)), { stage: 'merged' });
    await waitFor(() => merged.length === 1 && bus.rejected - before === 1, 'one good merged fragment, one rejection');
    await waitFor(() => events.some((e) => e.kind === 'message-rejected'), 'a message-rejected event');
    t.match(events.find((e) => e.kind === 'message-rejected')!.message, /relurec\.run-t\.merged.*workerId must not be empty/);
    await t.rejects(bus.publishFragment(answer(makeTask('run-t', 2)), { stage: 'cooked' as 'raw' }), { name: 'TypeError', message: /options\.stage must be 'raw' or 'merged'/ });
    t.throws(() => bus.subscribeFragments('run-t', () => undefined, { stage: 'cooked' as 'raw' }), TypeError);
    t.throws(() => bus.subscribeFragments('run-t', () => undefined, { onReplayed: 3 as unknown as () => void }), TypeError);
    await t.rejects(bus.publishFragment({ ...answer(makeTask('run-t', 3)), seconds: -1 }, { stage: 'merged' }), { name: 'MalformedMessageError', message: /relurec\.run-t\.merged/ });
  });

  t.test(`${name} - prepareTopology is idempotent and workers serve from what it prepared`, async (t) => {
    const bus = await (await factory(t))();
    await bus.prepareTopology();
    await bus.prepareTopology({ ackWaitMs: ACK_WAIT_MS });
    await t.rejects(bus.prepareTopology({ ackWaitMs: 5 }), { name: 'RangeError', message: /options\.ackWaitMs must be an integer >= 100/ });
    await t.rejects(bus.prepareTopology({ runId: 'a.b' }), { name: 'RangeError', message: /options\.runId/ });
    const fragments: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-u', (f) => fragments.push(f));
    t.teardown(() => sub.stop());
    const serving = bus.serveTasks(async (task) => answer(task), { concurrency: 2, ackWaitMs: ACK_WAIT_MS });
    t.teardown(() => serving.stop());
    await bus.publishTasks([0, 1, 2].map((i) => makeTask('run-u', i)));
    await waitFor(() => fragments.length === 3, 'the three fragments');
    await bus.prepareTopology({ ackWaitMs: ACK_WAIT_MS });
    await bus.publishTasks([makeTask('run-u', 3)]);
    await waitFor(() => fragments.length === 4, 'served after preparing again');
  });

  t.test(`${name} - malformed fragments are rejected, counted and announced, never handed on`, async (t) => {
    const bus = await (await factory(t))();
    const events: RunEvent[] = [];
    const eventSub = bus.subscribeEvents((e) => events.push(e));
    t.teardown(() => eventSub.stop());
    const fragments: FragmentMessage[] = [];
    const sub = bus.subscribeFragments('run-f', (f) => fragments.push(f));
    t.teardown(() => sub.stop());
    await sleep(100);
    const subject = Subject.fragments('run-f');
    const before = bus.rejected;
    await bus.publishRaw(subject, Uint8Array.of(0xc1, 0xff, 0x00));
    await bus.publishRaw(subject, encode({ ...answer(makeTask('run-f', 1)), v: 2 }));
    await bus.publishRaw(subject, encode({ ...answer(makeTask('run-f', 2)), queries: NaN }));
    await bus.publishFragment(answer(makeTask('run-f', 3)));
    await waitFor(() => fragments.length === 1 && bus.rejected - before === 3, 'one good fragment and 3 rejections');
    t.equal(fragments[0]!.taskId, '00001.00003');
    await waitFor(() => events.filter((e) => e.kind === 'message-rejected').length >= 3, '3 message-rejected events');
    const messages = events.filter((e) => e.kind === 'message-rejected').map((e) => e.message);
    t.ok(messages.some((m) => /relurec\.run-f\.fragments.*\bv must be 1/.test(m)), 'an event names subject and field');
    t.ok(messages.some((m) => /queries must be an integer/.test(m)));
    t.equal(events.find((e) => e.kind === 'message-rejected')!.runId, 'run-f');
  });

  t.test(`${name} - a malformed task is rejected and counted, the handler never sees it`, async (t) => {
    const bus = await (await factory(t))();
    const seen: TaskMessage[] = [];
    const serving = bus.serveTasks(
      async (task) => {
        seen.push(task);
        return answer(task);
      },
      { concurrency: 1, ackWaitMs: ACK_WAIT_MS },
    );
    t.teardown(() => serving.stop());
    const before = bus.rejected;
    await bus.publishRaw(Subject.tasks('run-g'), encode({ ...makeTask('run-g', 0), taskId: '1.2' }));
    await bus.publishTasks([makeTask('run-g', 1)]);
    await waitFor(() => seen.length === 1 && bus.rejected - before === 1, 'one task served, one rejected');
    t.equal(seen[0]!.taskId, '00001.00001');
    await sleep(200);
    t.equal(bus.rejected - before, 1, 'the bad task is not redelivered');
  });

  t.test(`${name} - a bad message is refused at the sender with the field named`, async (t) => {
    const bus = await (await factory(t))();
    await t.rejects(bus.publishTasks([{ ...makeTask('run-h', 0), seed: -1 }]), { name: 'MalformedMessageError', field: 'seed' });
    await t.rejects(bus.publishFragment({ ...answer(makeTask('run-h', 0)), seconds: Infinity }), {
      name: 'MalformedMessageError',
      field: 'seconds',
    });
    await t.rejects(bus.putStatus({ ...makeStatus('run-h', 1), state: 'nope' as RunStatus['state'] }), {
      name: 'MalformedMessageError',
      field: 'state',
    });
    t.equal(bus.rejected, 0, 'refusals at the sender are not receipts');
  });

  t.test(`${name} - serveTasks with a runId gets only that run's tasks`, async (t) => {
    const bus = await (await factory(t))();
    const byRun: Record<string, string[]> = { 'run-i': [], 'run-j': [] };
    const subs = ['run-i', 'run-j'].map((runId) =>
      bus.serveTasks(
        async (task) => {
          byRun[runId]!.push(task.runId);
          return answer(task);
        },
        { concurrency: 1, runId, ackWaitMs: ACK_WAIT_MS },
      ),
    );
    t.teardown(() => Promise.all(subs.map((s) => s.stop())));
    await bus.publishTasks([makeTask('run-i', 0), makeTask('run-j', 0), makeTask('run-i', 1)]);
    await waitFor(() => byRun['run-i']!.length === 2 && byRun['run-j']!.length === 1, 'each run served by its consumer');
    t.same(byRun, { 'run-i': ['run-i', 'run-i'], 'run-j': ['run-j'] });
  });

  t.test(`${name} - run records and statuses round trip; watchStatus gives current then updates`, async (t) => {
    const bus = await (await factory(t))();
    t.equal(await bus.getRun('run-k'), undefined);
    t.equal(await bus.getStatus('run-k'), undefined);
    const record = makeRecord('run-k');
    await bus.putRun(record);
    const back = await bus.getRun('run-k');
    t.same(back, record);
    t.ok((back!.settings.scales as unknown) instanceof Float64Array);
    await bus.putStatus(makeStatus('run-k', 1));
    await bus.putStatus(makeStatus('run-l', 5));
    t.same(await bus.getStatus('run-k'), makeStatus('run-k', 1));
    const seen: RunStatus[] = [];
    const watch = bus.watchStatus((s) => seen.push(s));
    t.teardown(() => watch.stop());
    await waitFor(() => seen.length >= 2, 'the current status of both runs');
    t.same(new Set(seen.map((s) => `${s.runId}:${s.tasksDone}`)), new Set(['run-k:1', 'run-l:5']));
    await bus.putStatus(makeStatus('run-k', 2));
    await waitFor(() => seen.some((s) => s.runId === 'run-k' && s.tasksDone === 2), 'the update');
    t.same(await bus.getStatus('run-k'), makeStatus('run-k', 2));
  });

  t.test(`${name} - a 3 MB blob round trips`, async (t) => {
    const bus = await (await factory(t))();
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024));
    await bus.putBlob('run-m/net.json', bytes);
    const back = await bus.getBlob('run-m/net.json');
    t.ok(back instanceof Uint8Array);
    t.equal(back!.length, bytes.length);
    t.ok(Buffer.from(back!).equals(Buffer.from(bytes)), 'same bytes');
    t.equal(await bus.getBlob('no-such-blob'), undefined);
  });

  t.test(`${name} - heartbeats and events reach their subscribers; malformed ones are counted`, async (t) => {
    const bus = await (await factory(t))();
    const beats: Heartbeat[] = [];
    const events: RunEvent[] = [];
    const s1 = bus.subscribeHeartbeats((b) => beats.push(b));
    const s2 = bus.subscribeEvents((e) => events.push(e));
    t.teardown(() => Promise.all([s1.stop(), s2.stop()]));
    await sleep(100);
    const beat: Heartbeat = {
      v: 1, workerId: 'w1', host: 'h', pid: 42, state: 'idle', threads: 2, current: [], tasksDone: 0, queries: 0,
      queriesPerSecond: 0, cpu: 0.1, rss: 1000, errors: 0, at: Date.now(), intervalMs: 1000,
    };
    await bus.publishHeartbeat(beat);
    await bus.publishEvent({ v: 1, runId: '', level: 'info', kind: 'worker-joined', message: 'w1 joined', at: Date.now() });
    await bus.publishEvent({ v: 1, runId: 'run-n', level: 'info', kind: 'phase', message: 'layer 1', at: Date.now() });
    const before = bus.rejected;
    await bus.publishRaw(Subject.heartbeat, encode({ ...beat, pid: 0 }));
    await waitFor(() => beats.length === 1 && events.length >= 2 && bus.rejected - before === 1, 'beat, events, one rejection');
    t.same(beats[0], beat);
    t.same(events.filter((e) => e.kind !== 'message-rejected').map((e) => e.kind), ['worker-joined', 'phase']);
  });

  t.test(`${name} - close() waits for running handlers, then refuses calls`, async (t) => {
    const bus = await (await factory(t))();
    let started = false;
    let finished = false;
    bus.serveTasks(
      async (task) => {
        started = true;
        await sleep(200);
        finished = true;
        return answer(task);
      },
      { concurrency: 1, ackWaitMs: ACK_WAIT_MS },
    );
    await bus.publishTasks([makeTask('run-o', 0)]);
    await waitFor(() => started, 'the handler to start');
    await bus.close();
    t.ok(finished, 'close() resolved after the running handler finished');
    await t.rejects(bus.publishTasks([makeTask('run-o', 1)]), { name: 'BusClosedError', message: /publishTasks\(\) called after close\(\)/ });
    await bus.close();
  });
}
