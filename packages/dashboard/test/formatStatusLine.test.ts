// Clock times print in local time: pin the zone before any Date is formatted.
process.env.TZ = 'UTC';

import t from 'tap';
import { DashboardModel, formatDuration, formatStatusLine } from '../src/index.js';
import { makeBeat, makeStatus, T0 } from './fixtures/messages.js';

function setup() {
  const clock = { now: T0 };
  const model = new DashboardModel({ clock: () => clock.now });
  return { model, clock };
}

t.test('formatStatusLine - workers by state, then the running run with its rate and ETA', async (t) => {
  const { model, clock } = setup();
  clock.now = T0 - 5000;
  model.applyHeartbeat(makeBeat('w4', clock.now));
  clock.now = T0 - 9000;
  model.applyStatus(makeStatus('r1', clock.now, { startedAt: T0 - 60_000, queries: 9245, budget: 100_000 }));
  clock.now = T0 + 1000;
  for (const id of ['w1', 'w2', 'w3']) model.applyHeartbeat(makeBeat(id, clock.now, { state: 'busy' }));
  model.applyStatus(
    makeStatus('r1', clock.now, {
      startedAt: T0 - 60_000,
      layer: 2,
      phase: 'layer 2: traces',
      neurons: [20, 18],
      tasksDone: 18,
      tasksIssued: 20,
      queries: 12_345,
      budget: 100_000,
    }),
  );
  // w4 is 6 s silent: lost. Rate: 3100 queries in 10 s = 310/s; 87655 left / 310 = 282.76 s = 4m 42s.
  t.equal(
    formatStatusLine(model.snapshot()),
    "12:00:01 workers 4 (3 busy, 1 lost) | run r1 layer 2 phase 'layer 2: traces' neurons 20,18 tasks 18/20 queries 12345/100000 310/s ETA 4m 42s",
  );
});

t.test('formatStatusLine - no workers, no runs', async (t) => {
  const { model } = setup();
  t.equal(formatStatusLine(model.snapshot()), '12:00:00 workers 0 | no runs');
});

t.test('formatStatusLine - with no run running, the latest run shows its state and reason, and no ETA', async (t) => {
  const { model, clock } = setup();
  model.applyHeartbeat(makeBeat('w1', T0));
  clock.now = T0 + 60_000;
  model.applyHeartbeat(makeBeat('w1', clock.now));
  model.applyStatus(makeStatus('r0', T0 + 1000, { startedAt: T0 - 1000, state: 'complete', queries: 200 }));
  model.applyStatus(
    makeStatus('r1', T0 + 60_000, { state: 'incomplete', layer: 1, neurons: [7], queries: 6000, budget: 6000, tasksIssued: 9, tasksDone: 9, reason: 'budget spent' }),
  );
  t.equal(
    formatStatusLine(model.snapshot()),
    "12:01:00 workers 1 (1 idle) | run r1 incomplete layer 1 phase 'layer 1: segments' neurons 7 tasks 9/9 queries 6000/6000 100/s (budget spent)",
  );
});

t.test('formatStatusLine - several running runs: three shown, the rest counted', async (t) => {
  const { model, clock } = setup();
  clock.now = T0 + 10_000;
  for (const id of ['a', 'b', 'c', 'd', 'e']) model.applyStatus(makeStatus(id, clock.now, { queries: 1000, tasksIssued: 2, tasksDone: 1 }));
  const line = formatStatusLine(model.snapshot());
  t.match(line, /\| run a .* \| run b .* \| run c .* \| 2 more running$/);
  t.match(line, /run a layer 1 phase 'layer 1: segments' tasks 1\/2 queries 1000 100\/s ETA 10s/, 'no budget: the ETA of the tasks issued');
});

t.test('formatDuration - seconds, minutes, hours, days', async (t) => {
  t.equal(formatDuration(-5), '0s');
  t.equal(formatDuration(999), '0s');
  t.equal(formatDuration(42_000), '42s');
  t.equal(formatDuration(245_000), '4m 05s');
  t.equal(formatDuration(12 * 60_000 + 59_000), '12m');
  t.equal(formatDuration(3 * 3_600_000 + 20 * 60_000), '3h 20m');
  t.equal(formatDuration(52 * 3_600_000), '2d 4h');
  t.equal(formatDuration(Number.POSITIVE_INFINITY), '?');
});
