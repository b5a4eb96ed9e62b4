import t from 'tap';
import { DashboardModel, EtaBasis, LogSource, WorkerStatus } from '../src/index.js';
import { makeBeat, makeEvent, makeStatus, T0 } from './fixtures/messages.js';

/** A model on a clock the test moves by hand. */
function setup(options: ConstructorParameters<typeof DashboardModel>[0] = {}) {
  const clock = { now: T0 };
  const model = new DashboardModel({ ...options, clock: () => clock.now });
  return { model, clock };
}

t.test('model - a worker that misses 3 of its beats turns lost, once, with a log line', async (t) => {
  const { model, clock } = setup();
  model.applyHeartbeat(makeBeat('w1', T0, { state: 'busy', current: [{ runId: 'r1', taskId: '00001.00002', kind: 'trace' }] }));
  let snap = model.snapshot();
  t.equal(snap.workers[0].state, WorkerStatus.busy);
  t.same(snap.log.map((l) => [l.kind, l.source]), [['worker-joined', LogSource.dashboard]], 'a new worker is logged as joined');

  clock.now = T0 + 3000;
  snap = model.snapshot();
  t.equal(snap.workers[0].state, WorkerStatus.busy, 'at exactly 3 intervals of silence it is not lost yet');
  t.equal(snap.workers[0].lastBeatAgeMs, 3000);

  clock.now = T0 + 3001;
  snap = model.snapshot();
  t.equal(snap.workers[0].state, WorkerStatus.lost, 'past 3 intervals it is lost');
  t.same(snap.workers[0].current, [], 'a lost worker runs nothing');
  t.equal(snap.totals.lost, 1);
  t.equal(snap.totals.busy, 0);
  const lost = snap.log.filter((l) => l.kind === 'worker-lost');
  t.equal(lost.length, 1);
  t.equal(lost[0].level, 'warn');
  t.equal(lost[0].at, T0 + 3001);
  t.match(lost[0].message, /^w1 lost: no heartbeat for 3\.0s \(3 beats of 1000ms missed\); it was running r1\/00001\.00002$/);

  clock.now = T0 + 10_000;
  t.equal(model.snapshot().log.filter((l) => l.kind === 'worker-lost').length, 1, 'the loss is logged once');

  model.applyHeartbeat(makeBeat('w1', T0 + 10_000));
  snap = model.snapshot();
  t.equal(snap.workers[0].state, WorkerStatus.idle, 'a beat brings it back');
  t.match(snap.log[snap.log.length - 1], { kind: 'worker-joined', message: /^w1 is back after 10s of silence/ });
});

t.test('model - each worker is judged by its own interval', async (t) => {
  const { model, clock } = setup();
  model.applyHeartbeat(makeBeat('fast', T0, { intervalMs: 1000 }));
  model.applyHeartbeat(makeBeat('slow', T0, { intervalMs: 5000 }));
  clock.now = T0 + 4000;
  const states = Object.fromEntries(model.snapshot().workers.map((w) => [w.id, w.state]));
  t.same(states, { fast: 'lost', slow: 'idle' });
});

t.test('model - missedBeats is an option', async (t) => {
  const { model, clock } = setup({ missedBeats: 5 });
  model.applyHeartbeat(makeBeat('w1', T0));
  clock.now = T0 + 4500;
  t.equal(model.snapshot().workers[0].state, WorkerStatus.idle);
  clock.now = T0 + 5001;
  t.equal(model.snapshot().workers[0].state, WorkerStatus.lost);
});

t.test('model - a stopping worker that falls silent has left, it is not lost', async (t) => {
  const { model, clock } = setup();
  model.applyHeartbeat(makeBeat('w1', T0, { state: 'stopping' }));
  clock.now = T0 + 5000;
  const snap = model.snapshot();
  t.same(snap.workers, []);
  t.same(snap.log.map((l) => l.kind), ['worker-joined', 'worker-left']);
});

t.test('model - a lost worker is dropped after forgetLostMs', async (t) => {
  const { model, clock } = setup({ forgetLostMs: 60_000 });
  model.applyHeartbeat(makeBeat('w1', T0));
  clock.now = T0 + 4000;
  t.equal(model.snapshot().workers.length, 1);
  clock.now = T0 + 4000 + 60_001;
  t.equal(model.snapshot().workers.length, 0);
});

t.test('model - an older beat than the one held is ignored', async (t) => {
  const { model } = setup();
  model.applyHeartbeat(makeBeat('w1', T0 + 2000, { tasksDone: 7 }));
  model.applyHeartbeat(makeBeat('w1', T0 + 1000, { tasksDone: 5 }));
  t.equal(model.snapshot().workers[0].tasksDone, 7);
});

t.test('model - ETA from the budget: the queries left at the recent rate, counted down between updates', async (t) => {
  const { model, clock } = setup();
  clock.now = T0 + 10_000;
  model.applyStatus(makeStatus('r1', T0 + 10_000, { queries: 1000, budget: 10_000, tasksIssued: 100, tasksDone: 1 }));
  let run = model.snapshot().runs[0];
  // One status: the average since the start, 1000 queries in 10 s = 100/s; 9000 left = 90 s.
  t.equal(run.queriesPerSecond, 100);
  t.equal(run.etaBasis, EtaBasis.budget);
  t.equal(run.etaMs, 90_000);

  clock.now = T0 + 20_000;
  model.applyStatus(makeStatus('r1', T0 + 20_000, { queries: 3000, budget: 10_000, tasksIssued: 100, tasksDone: 2 }));
  run = model.snapshot().runs[0];
  // Two statuses: 2000 queries in 10 s = 200/s; 7000 left = 35 s. The tasks do not count with a budget.
  t.equal(run.queriesPerSecond, 200);
  t.equal(run.etaMs, 35_000);

  clock.now = T0 + 25_000;
  t.equal(model.snapshot().runs[0].etaMs, 30_000, '5 s later, 5 s less');
  clock.now = T0 + 90_000;
  t.equal(model.snapshot().runs[0].etaMs, 0, 'never negative');
});

t.test('model - ETA without a budget: the tasks issued and not done, at the rate tasks get done', async (t) => {
  const { model, clock } = setup();
  clock.now = T0 + 10_000;
  model.applyStatus(makeStatus('r1', T0 + 10_000, { queries: 500, tasksIssued: 20, tasksDone: 5 }));
  clock.now = T0 + 20_000;
  model.applyStatus(makeStatus('r1', T0 + 20_000, { queries: 900, tasksIssued: 20, tasksDone: 15 }));
  const run = model.snapshot().runs[0];
  // 10 tasks in 10 s = 1/s; 5 left = 5 s.
  t.equal(run.tasksPerSecond, 1);
  t.equal(run.queriesPerSecond, 40);
  t.equal(run.etaBasis, EtaBasis.tasks);
  t.equal(run.etaMs, 5000);
});

t.test('model - no ETA while nothing moves, nor once the run stopped', async (t) => {
  const { model, clock } = setup();
  model.applyStatus(makeStatus('r1', T0, { tasksIssued: 4 }));
  let run = model.snapshot().runs[0];
  t.equal(run.queriesPerSecond, null, 'no time has passed since the start');
  t.equal(run.etaMs, null);
  t.equal(run.etaBasis, null);

  clock.now = T0 + 60_000;
  model.applyStatus(makeStatus('r1', T0 + 60_000, { state: 'incomplete', queries: 6000, budget: 6000, tasksIssued: 4, tasksDone: 4, reason: 'budget spent' }));
  run = model.snapshot().runs[0];
  t.equal(run.etaMs, null);
  t.equal(run.queriesPerSecond, 100, 'a stopped run shows its average rate');
  t.equal(run.reason, 'budget spent');
});

t.test('model - an older status than the one held is ignored; runs are ordered by start', async (t) => {
  const { model } = setup();
  model.applyStatus(makeStatus('r2', T0 + 5000, { startedAt: T0 + 1000, layer: 3 }));
  model.applyStatus(makeStatus('r2', T0 + 4000, { startedAt: T0 + 1000, layer: 2 }));
  model.applyStatus(makeStatus('r1', T0 + 5000, { neurons: [20, 18], layer: 2 }));
  const runs = model.snapshot().runs;
  t.same(runs.map((r) => r.runId), ['r1', 'r2']);
  t.equal(runs[1].layer, 3);
  t.same(runs[0].neurons, [20, 18]);
});

t.test('model - events are logged and counted; the log keeps the latest logSize lines', async (t) => {
  const { model } = setup({ logSize: 3 });
  model.applyEvent(makeEvent('task-retry', T0 + 1, { level: 'warn' }));
  model.applyEvent(makeEvent('message-rejected', T0 + 2, { runId: '', level: 'error' }));
  model.applyEvent(makeEvent('task-retry', T0 + 3, { level: 'warn' }));
  model.applyEvent(makeEvent('phase', T0 + 4));
  const snap = model.snapshot();
  t.same(snap.eventCounts, { 'task-retry': 2, 'message-rejected': 1, phase: 1 });
  t.same(snap.log.map((l) => l.at), [T0 + 2, T0 + 3, T0 + 4], 'oldest dropped first');
  t.match(snap.log[0], { kind: 'message-rejected', level: 'error', runId: '', source: LogSource.bus });
});

t.test('model - 100 workers: totals, order (lost first, natural ids) and one line per join and loss', async (t) => {
  const { model, clock } = setup({ logSize: 1000 });
  const silent = new Set([3, 17, 42, 58, 77, 90, 99]);
  for (let beat = 0; beat < 10; beat++) {
    clock.now = T0 + beat * 1000;
    for (let i = 1; i <= 100; i++) {
      if (beat > 2 && silent.has(i)) continue;
      model.applyHeartbeat(
        makeBeat(`w${i}`, clock.now, {
          host: `host-${i % 4}`,
          pid: 1000 + i,
          state: i % 2 === 0 ? 'busy' : 'idle',
          threads: 4,
          current: i % 2 === 0 ? [{ runId: 'r1', taskId: `t${i}`, kind: 'trace' }] : [],
          tasksDone: beat * i,
          queriesPerSecond: 10,
          errors: i === 50 ? 2 : 0,
        }),
      );
    }
  }
  // The silent ones last beat at T0 + 2000: 9000 - 2000 = 7 s of silence > 3 beats; the others beat at T0 + 9000.
  const snap = model.snapshot();
  t.equal(snap.workers.length, 100);
  t.same(snap.workers.slice(0, 7).map((w) => w.id), ['w3', 'w17', 'w42', 'w58', 'w77', 'w90', 'w99'], 'lost first, in natural order');
  t.ok(snap.workers.slice(0, 7).every((w) => w.state === 'lost'));
  t.same(snap.workers.slice(7, 10).map((w) => w.id), ['w1', 'w2', 'w4'], 'then the others, w2 before w10');
  const lostEven = [42, 58, 90].length;
  t.same(snap.totals, {
    workers: 100,
    idle: 50 - (7 - lostEven),
    busy: 50 - lostEven,
    stopping: 0,
    lost: 7,
    threads: 93 * 4,
    running: 50 - lostEven,
    queriesPerSecond: 930,
    errors: 2,
  });
  t.equal(snap.log.filter((l) => l.kind === 'worker-joined').length, 100);
  t.equal(snap.log.filter((l) => l.kind === 'worker-lost').length, 7);
  t.equal(snap.workers.find((w) => w.id === 'w100')?.tasksDone, 900);
});

t.test('model - bad options throw a RangeError that names them', async (t) => {
  t.throws(() => new DashboardModel({ missedBeats: 0 }), { name: 'RangeError', message: /options\.missedBeats must be a positive integer \(got 0\)/ });
  t.throws(() => new DashboardModel({ logSize: 1.5 }), { name: 'RangeError', message: /options\.logSize/ });
  t.throws(() => new DashboardModel({ forgetLostMs: -1 }), { name: 'RangeError', message: /options\.forgetLostMs/ });
  t.throws(() => new DashboardModel({ rateWindowMs: Number.NaN }), { name: 'RangeError', message: /options\.rateWindowMs/ });
});
