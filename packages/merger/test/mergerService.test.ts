import t, { type Test } from 'tap';
import type { Bus } from '@relurec/bus';
import { connectNatsBus, InProcessBus } from '@relurec/bus';
import type { FragmentMessage, RunEvent, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';
import { encode, formatTaskId, Subject } from '@relurec/protocol';
import { startNatsServer } from '../../../test/helpers/natsServer.js';
import { collectFragments, startMergerService, type MergerService } from '../src/index.js';

/** A bus under test plus raw publishing (a broken or foreign client). */
type TestBus = Bus & { publishRaw(subject: string, bytes: Uint8Array): Promise<void> };

interface BusOptions {
  duplicateWindowMs?: number;
}

/**
 * Makes buses over one fresh backend for one test: `connect()` is a new process's client (a new
 * NATS connection; the one in-process bus, which is one process).
 */
type Backend = (t: Test, options?: BusOptions) => Promise<{ connect(): Promise<TestBus> }>;

const BACKENDS: [string, Backend][] = [
  [
    'InProcessBus',
    async (t, options = {}) => {
      const bus = new InProcessBus(options);
      t.teardown(() => bus.close());
      return { connect: async () => bus };
    },
  ],
  [
    'NatsBus',
    async (t, options = {}) => {
      const server = await startNatsServer({ jetstream: true });
      t.teardown(() => server.stop());
      return {
        connect: async () => {
          const bus = await connectNatsBus({ servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000, ...options });
          t.teardown(() => bus.close());
          return bus;
        },
      };
    },
  ],
];

/** The black box of the test runs: 3 inputs, 2 outputs. */
function record(runId: string): RunRecord {
  return {
    v: 1, runId, target: 'net.json', oracle: { kind: 'network', name: 'net.json', blob: 'net' },
    inputDim: 3, outputDim: 2, seed: 1, budget: null, settings: {}, createdAt: 1_700_000_000_000,
  };
}

function status(runId: string, state: RunStatus['state']): RunStatus {
  return {
    v: 1, runId, target: 'net.json', state, phase: 'layer 1', layer: 1, neurons: [], queries: 0, budget: null,
    tasksIssued: 0, tasksDone: 0, startedAt: 1_700_000_000_000, updatedAt: Date.now(),
  };
}

/** Task `index` of phase 1: an 'outputs' task (the kind's output: { ys: Float64Array[] }). */
function task(runId: string, index: number): TaskMessage {
  return { v: 1, runId, taskId: formatTaskId(1, index), phase: 1, kind: 'outputs', seed: index, budget: null, input: {} };
}

/** A worker's fragment for task `index`: `value` as the output value (default a correct one). */
function fragment(runId: string, index: number, value: unknown = { ys: [Float64Array.of(index, index + 0.5)] }, workerId = 'w1'): FragmentMessage {
  return {
    v: 1, runId, taskId: formatTaskId(1, index), phase: 1, kind: 'outputs', workerId, queries: 1, seconds: 0.01,
    output: { value, log: [`task ${index}`] },
  };
}

function failure(runId: string, index: number): FragmentMessage {
  const { output: _output, ...rest } = fragment(runId, index);
  return { ...rest, failure: { name: 'OracleRequestError', message: 'black box down', budget: false } };
}

/** Task ids on a run's merged stage, as a late subscriber sees them. */
function watchMerged(t: Test, bus: Bus, runId: string): FragmentMessage[] {
  const seen: FragmentMessage[] = [];
  const sub = bus.subscribeFragments(runId, (f) => seen.push(f), { stage: 'merged' });
  t.teardown(() => sub.stop());
  return seen;
}

function startMerger(t: Test, bus: Bus, lines?: string[]): MergerService {
  const merger = startMergerService({ bus, log: (line) => lines?.push(line) });
  t.teardown(() => merger.stop());
  return merger;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ids = (fragments: readonly FragmentMessage[]): number[] => fragments.map((f) => Number(f.taskId.slice(6)));

for (const [name, backend] of BACKENDS) {
  t.test(`${name} - the merger republishes each valid fragment once to the merged stage, in order; failures pass through`, async (t) => {
    const bus = await (await backend(t)).connect();
    const lines: string[] = [];
    const merger = startMerger(t, bus, lines);
    const merged = watchMerged(t, bus, 'run-m1');
    await bus.putRun(record('run-m1'));
    await bus.putStatus(status('run-m1', 'running'));
    await waitFor(() => merger.active.includes('run-m1'), 'the merger to take the running run');
    for (const i of [3, 0, 1]) await bus.publishFragment(fragment('run-m1', i));
    await bus.publishFragment(failure('run-m1', 2));
    await bus.publishFragment(fragment('run-m1', 4));
    await waitFor(() => merged.length === 5, 'five merged fragments');
    t.same(ids(merged), [3, 0, 1, 2, 4], 'in raw (arrival) order');
    t.same(merged[4]!.output, fragment('run-m1', 4).output, 'unchanged, typed arrays intact');
    t.ok(((merged[4]!.output as { value: { ys: unknown[] } }).value.ys[0]) instanceof Float64Array);
    t.same(merged[3]!.failure, failure('run-m1', 2).failure, 'a failure fragment passes through');
    t.same(merger.stats('run-m1'), { merged: 5, failures: 1, alreadyMerged: 0, duplicates: 0, rejected: 0, foreign: 0, invalid: 0 });
    t.equal(merger.stats('run-other'), undefined);

    // The coordinator's intake reads the merged stage, in task order.
    const collector = collectFragments({ bus, runId: 'run-m1', stage: 'merged' });
    t.teardown(() => collector.stop());
    const got = await collector.await([0, 1, 2, 3, 4].map((i) => task('run-m1', i)));
    t.same(ids(got), [0, 1, 2, 3, 4]);
    t.same(collector.stats, { accepted: 5, duplicates: 0, stale: 0, foreign: 0 });
    t.ok(lines.some((l) => /run run-m1: merging \(0 fragments already merged\)/.test(l)), 'logged');
  });

  t.test(`${name} - malformed outputs and foreign fragments are rejected with the reason announced; duplicates are dropped`, async (t) => {
    const bus = await (await backend(t)).connect();
    const events: RunEvent[] = [];
    const eventSub = bus.subscribeEvents((e) => events.push(e));
    t.teardown(() => eventSub.stop());
    const merger = startMerger(t, bus);
    const merged = watchMerged(t, bus, 'run-m2');
    await bus.putRun(record('run-m2'));
    await bus.putStatus(status('run-m2', 'running'));
    await waitFor(() => merger.active.includes('run-m2'), 'the merger to take the run');
    const raw = Subject.fragments('run-m2');
    await bus.publishFragment(fragment('run-m2', 0));
    await bus.publishFragment(fragment('run-m2', 1, { ys: [[1, 2]] })); // a number[] for a Float64Array
    await bus.publishFragment(fragment('run-m2', 2, {})); // a missing field
    await bus.publishFragment(fragment('run-m2', 3, { ys: [Float64Array.of(1, 2, 3)] })); // 3 outputs, the run has 2
    await bus.publishFragment(fragment('run-m2', 4, { ys: 'lots' })); // a wrong type
    await bus.publishFragment({ ...fragment('run-m2', 5), output: { value: { ys: [] } } }); // no log
    await bus.publishFragment({ ...fragment('run-m2', 6), phase: 2 }); // not the phase of its task id
    await bus.publishRaw(raw, encode(fragment('run-m2', 7, { ys: [Float64Array.of(1, NaN)] }))); // NaN: stopped by the bus itself
    await bus.publishRaw(raw, encode(fragment('run-other', 8))); // foreign
    await bus.publishRaw(raw, encode(fragment('run-m2', 0, undefined, 'w2'))); // a second fragment of task 0
    await bus.publishFragment(fragment('run-m2', 9));
    await waitFor(() => merged.length === 2 && merger.stats('run-m2')!.duplicates === 1, 'two merged fragments and the duplicate');
    await sleep(100);
    t.same(ids(merged), [0, 9], 'only the valid fragments, once');
    t.equal(merged[0]!.workerId, 'w1', 'the first fragment of task 0 is kept');
    t.same(merger.stats('run-m2'), { merged: 2, failures: 0, alreadyMerged: 0, duplicates: 1, rejected: 7, foreign: 1, invalid: 6 });

    await waitFor(() => events.filter((e) => e.kind === 'message-rejected').length >= 8, 'eight message-rejected events');
    const messages = events.filter((e) => e.kind === 'message-rejected' && e.runId === 'run-m2').map((e) => e.message);
    const expected: [number | string, RegExp][] = [
      [1, /fragment 00001\.00001 \(outputs, worker w1\) of run run-m2 rejected: bogus 'outputs' task output: ys\[0\] must be a Float64Array \(got an array of 2\) \(field output\.value\.ys\[0\]\)/],
      [2, /fragment 00001\.00002 .* ys is missing \(field output\.value\.ys\)/],
      [3, /fragment 00001\.00003 .* ys\[0\] must have 2 entries \(as the run's outputDim\)/],
      [4, /fragment 00001\.00004 .* ys must be an array \(got 'lots'\)/],
      [5, /fragment 00001\.00005 .* output\.log must be an array of strings/],
      [6, /fragment 00001\.00006 .* phase 2 is not the phase of task 00001\.00006/],
      ['NaN', /malformed FragmentMessage on relurec\.run-m2\.fragments: output\.value\.ys\[0\]\[1\] must be a finite number \(got NaN\)/],
      ['foreign', /fragment 00001\.00008 .* rejected: fragment of run 'run-other' on run 'run-m2'/],
    ];
    for (const [what, pattern] of expected) t.ok(messages.some((m) => pattern.test(m)), `an event for ${what}: ${pattern}`);
    t.ok(events.filter((e) => e.kind === 'message-rejected').every((e) => e.level === 'warn'));
  });

  t.test(`${name} - a task whose only fragment is invalid gets a failure merged after the grace period; a valid one within it wins`, async (t) => {
    const bus = await (await backend(t)).connect();
    const merger = startMergerService({ bus, invalidGraceMs: 300 });
    t.teardown(() => merger.stop());
    const merged = watchMerged(t, bus, 'run-g1');
    await bus.putRun(record('run-g1'));
    await bus.putStatus(status('run-g1', 'running'));
    await waitFor(() => merger.active.includes('run-g1'), 'the merger to take the run');
    const raw = Subject.fragments('run-g1');
    await bus.publishFragment(fragment('run-g1', 0, {})); // invalid, and nothing else comes for task 0
    await bus.publishRaw(raw, encode(fragment('run-g1', 1, {}))); // a tampered copy ahead of the real one
    await bus.publishFragment(fragment('run-g1', 1, undefined, 'w2'));
    await waitFor(() => merged.length === 2, 'two merged fragments');
    await sleep(400);
    t.equal(merged.length, 2, 'one per task, nothing more after the grace period');
    const byId = new Map(merged.map((f) => [Number(f.taskId.slice(6)), f]));
    t.equal(byId.get(1)?.workerId, 'w2', 'task 1: the valid fragment that came within the grace period');
    t.notOk(byId.get(1)?.failure, 'task 1 did not fail');
    t.equal(byId.get(0)?.failure?.name, 'TaskOutputError', 'task 0: a failure in place of the invalid output, so the run stops instead of waiting');
    t.match(byId.get(0)?.failure?.message ?? '', /worker w1 returned output that may not be merged: .*ys is missing/);
  });

  t.test(`${name} - a merger restarted mid-stream publishes nothing twice and misses nothing`, async (t) => {
    // A short duplicate window: the merged stage's exactly-once must not lean on the bus's dedupe.
    const b = await backend(t, { duplicateWindowMs: 100 });
    const publisher = await b.connect();
    const reader = await b.connect();
    const merged = watchMerged(t, reader, 'run-m3');
    await publisher.putRun(record('run-m3'));
    await publisher.putStatus(status('run-m3', 'running'));
    const first = startMergerService({ bus: await b.connect() });
    t.teardown(() => first.stop());
    const total = 40;
    let published = 0;
    const publishing = (async () => {
      for (let i = 0; i < total; i++) {
        await publisher.publishFragment(fragment('run-m3', i));
        published++;
        await sleep(5);
      }
    })();
    await waitFor(() => merged.length >= 8, 'the first merger to merge some');
    await first.stop();
    const byFirst = first.stats('run-m3')!.merged;
    t.ok(byFirst >= 8 && byFirst < total, `stopped mid-stream (${byFirst} merged, ${published} published)`);
    await sleep(200); // past the duplicate window
    const second = startMergerService({ bus: await b.connect() });
    t.teardown(() => second.stop());
    await publishing;
    await waitFor(() => merged.length >= total, 'every fragment merged');
    await sleep(300);
    t.same(ids(merged), Array.from({ length: total }, (_, i) => i), 'each task once, in order');
    const s = second.stats('run-m3')!;
    t.equal(s.alreadyMerged, byFirst, 'the second merger learned what the first had merged');
    t.equal(s.merged, total - byFirst, 'and merged only the rest');
    t.equal(s.duplicates, 0);
  });

  t.test(`${name} - a run's merge stops when its status leaves 'running' and resumes when it comes back`, async (t) => {
    const bus = await (await backend(t)).connect();
    const merged = watchMerged(t, bus, 'run-m4');
    await bus.putStatus(status('run-m4', 'running'));
    const merger = startMerger(t, bus);
    await waitFor(() => merger.active.includes('run-m4'), 'the merger to take the run (no record: checked without dims)');
    await bus.publishFragment(fragment('run-m4', 0));
    await waitFor(() => merged.length === 1, 'the first fragment');
    await bus.putStatus(status('run-m4', 'incomplete'));
    await waitFor(() => !merger.active.includes('run-m4'), 'the merge of the run to stop');
    await bus.publishFragment(fragment('run-m4', 1));
    await sleep(300);
    t.equal(merged.length, 1, 'nothing merged while the run is not running');
    t.same(merger.stats('run-m4'), { merged: 1, failures: 0, alreadyMerged: 0, duplicates: 0, rejected: 0, foreign: 0, invalid: 0 }, 'its last counts are kept');
    await bus.putStatus(status('run-m4', 'running'));
    await waitFor(() => merged.length === 2, 'the resumed run merges what came meanwhile');
    t.same(ids(merged), [0, 1]);
    t.match(merger.stats('run-m4'), { merged: 1, alreadyMerged: 1 });
  });
}

t.test('InProcessBus - a publication to the merged stage that fails restarts the pass: nothing lost, nothing twice', async (t) => {
  const bus = new InProcessBus({ duplicateWindowMs: 1 });
  t.teardown(() => bus.close());
  let failures = 0;
  // The bus as the merger sees it: the merged-stage publication of task 2 fails once (a lost connection).
  const flaky = new Proxy(bus, {
    get(target, prop) {
      if (prop === 'publishFragment') {
        return async (f: FragmentMessage, options?: { stage?: 'raw' | 'merged' }) => {
          if (options?.stage === 'merged' && f.taskId === formatTaskId(1, 2) && failures++ === 0) throw new Error('connection lost');
          return target.publishFragment(f, options);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const lines: string[] = [];
  const merger = startMergerService({ bus: flaky, log: (l) => lines.push(l), restartDelayMs: 50 });
  t.teardown(() => merger.stop());
  const merged = watchMerged(t, bus, 'run-m5');
  await bus.putRun(record('run-m5'));
  for (let i = 0; i < 6; i++) await bus.publishFragment(fragment('run-m5', i));
  await bus.putStatus(status('run-m5', 'running'));
  await waitFor(() => merged.length === 6, 'all six merged');
  await sleep(100);
  t.same(ids(merged), [0, 1, 2, 3, 4, 5], 'once each, in order');
  t.equal(failures, 2, 'the failed publication was made again');
  t.ok(lines.some((l) => /publishing to the merged stage failed \(connection lost\); starting the run's pass again/.test(l)));
  t.match(merger.stats('run-m5'), { merged: 4, alreadyMerged: 2 }, 'the new pass: 2 merged before the failure, the rest after');
});

t.test('startMergerService - options are checked', async (t) => {
  t.throws(() => startMergerService({} as never), { name: 'TypeError', message: /options\.bus is required/ });
});

t.test('NatsBus - a merger with the deployed merger permissions merges; without relurec.*.merged it is refused', async (t) => {
  const { deployPermissions } = await import('../../bus/test/fixtures/deployPermissions.js');
  const deployed = deployPermissions('MERGER');
  const withoutMerged = { ...deployed, publish: { ...deployed.publish, allow: (deployed.publish?.allow ?? []).filter((s: string) => s !== 'relurec.*.merged') } };
  const server = await startNatsServer({
    jetstream: true,
    auth: {
      users: [
        { user: 'coordinator', password: 'c' },
        { user: 'merger', password: 'm', permissions: deployed },
        { user: 'merger-without-merged', password: 'd', permissions: withoutMerged },
      ],
    },
  });
  t.teardown(() => server.stop());
  const base = { servers: server.url, reconnectTimeWaitMs: 100, pullExpiresMs: 1000, requestTimeoutMs: 1000 };
  const coordinator = await connectNatsBus({ ...base, user: 'coordinator', pass: 'c' });
  t.teardown(() => coordinator.close());
  const merged = watchMerged(t, coordinator, 'run-m6');
  await coordinator.putRun(record('run-m6'));
  await coordinator.putStatus(status('run-m6', 'running'));
  await coordinator.publishFragment(fragment('run-m6', 0));

  // Without the merged stage in its allow list, the merger may read everything but not publish it.
  const refusedLines: string[] = [];
  const refusedBus = await connectNatsBus({ ...base, user: 'merger-without-merged', pass: 'd', onError: () => undefined });
  t.teardown(() => refusedBus.close());
  const refused = startMergerService({ bus: refusedBus, log: (l) => refusedLines.push(l), restartDelayMs: 200 });
  await waitFor(() => refusedLines.some((l) => /Permissions Violation for Publish to "?relurec\.run-m6\.merged/i.test(l)), 'the refusal to be logged');
  await refused.stop();
  t.equal(merged.length, 0, 'nothing merged');

  // As deployed (deploy/nats/auth.conf), it merges.
  const mergerBus = await connectNatsBus({ ...base, user: 'merger', pass: 'm' });
  t.teardown(() => mergerBus.close());
  const merger = startMergerService({ bus: mergerBus });
  t.teardown(() => merger.stop());
  await coordinator.publishFragment(fragment('run-m6', 1));
  await waitFor(() => merged.length === 2, 'both fragments merged');
  t.same(ids(merged), [0, 1]);
  t.same(merger.stats('run-m6'), { merged: 2, failures: 0, alreadyMerged: 0, duplicates: 0, rejected: 0, foreign: 0, invalid: 0 });
});
