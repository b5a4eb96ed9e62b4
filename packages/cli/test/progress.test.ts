import t from 'tap';
import type { CliIo } from '../src/cli/CliIo.js';
import { createProgress } from '../src/internal/createProgress.js';

/** A stderr that records writes, and a clock the test moves by hand. */
function fakeIo(isTTY: boolean, columns: number | undefined = isTTY ? 200 : undefined) {
  const writes: string[] = [];
  const clock = { now: 0 };
  const io: CliIo = {
    stdout: () => {},
    stderr: (text) => void writes.push(text),
    stderrIsTTY: isTTY,
    stderrColumns: columns,
    now: () => clock.now,
    stopRequested: () => new Promise<string>(() => {}),
    debug: false,
  };
  return { io, writes, clock, last: () => writes[writes.length - 1] };
}

const CLEAR = '\r\x1b[K';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

t.test('progress - without numbers the lines are the message and its prefix, as before', async (t) => {
  const tty = fakeIo(true);
  const p = createProgress(tty.io, { status: () => '[1.0s]', refreshMs: 0 });
  p.update('layer 1: segments');
  t.equal(tty.last(), `${CLEAR}[1.0s]  layer 1: segments`);
  p.done();
  t.equal(tty.last(), CLEAR, 'done clears the line');
  p.done();
  p.update('after done');
  t.equal(tty.writes.length, 2, 'done twice and updates after done write nothing');

  const plain = fakeIo(false);
  const q = createProgress(plain.io, { refreshMs: 0 });
  q.update('epoch 1/5');
  q.update('epoch 2/5');
  q.done();
  t.same(plain.writes, ['epoch 1/5\n', 'epoch 2/5\n'], 'one plain line per update, nothing on done');
});

t.test('progress - a budget gives a bar, the query rate and the ETA on a terminal', async (t) => {
  const { io, clock, last } = fakeIo(true);
  const p = createProgress(io, { refreshMs: 0 });
  p.update('layer 1: segments', { queries: 0, budget: 10_000 });
  t.equal(last(), `${CLEAR}░░░░░░░░░░░░░░░░░░░░  0%  layer 1: segments`, 'no rate from one reading');
  clock.now = 10_000;
  p.update('layer 1: traces', { queries: 2000 });
  // 2000 queries in 10 s = 200/s; 8000 left at 200/s = 40 s; 20% of 20 cells = 4.
  t.equal(last(), `${CLEAR}████░░░░░░░░░░░░░░░░  20%  200 q/s  ETA 40s  layer 1: traces`);
  p.update('no budget now', { budget: null });
  t.equal(last(), `${CLEAR}200 q/s  no budget now`, 'no total, no bar: the rate alone');
  p.done();
});

t.test('progress - a phase fraction drives the bar and the ETA; a lower fraction starts a new phase', async (t) => {
  const { io, clock, last } = fakeIo(true);
  const p = createProgress(io, { refreshMs: 0, budget: 1e6 });
  p.update('layer 2: traces', { fraction: 0.1 });
  t.equal(last(), `${CLEAR}██░░░░░░░░░░░░░░░░░░  10%  layer 2: traces`, 'the fraction wins over the budget (no queries known)');
  clock.now = 4000;
  p.update('layer 2: traces', { fraction: 0.3 });
  // 0.2 in 4 s = 0.05/s; 0.7 left = 14 s (floating point: 14000.000000000002 ms, shown rounded down).
  t.equal(last(), `${CLEAR}██████░░░░░░░░░░░░░░  30%  ETA 14s  layer 2: traces`);
  clock.now = 5000;
  p.update('layer 3: segments', { fraction: 0.05 });
  t.equal(last(), `${CLEAR}█░░░░░░░░░░░░░░░░░░░  5%  layer 3: segments`, 'a new phase: no ETA until it moves');
  p.update('merging');
  t.equal(last(), `${CLEAR}merging`, 'an update without a fraction clears it (and no queries: no budget bar)');
  p.done();
});

t.test('progress - plain lines carry the numbers in parentheses, without a bar', async (t) => {
  const { io, clock, writes } = fakeIo(false);
  const p = createProgress(io, { status: () => '[10.0s]', budget: 10_000 });
  p.update('layer 1', { queries: 0 });
  clock.now = 10_000;
  p.update('layer 2', { queries: 2000 });
  p.done();
  t.same(writes, ['[10.0s]  layer 1  (0%)\n', '[10.0s]  layer 2  (20%, 200 q/s, ETA 40s)\n']);
});

t.test('progress - polled queries and the refresh keep the rate and ETA moving between messages', async (t) => {
  const { io, clock, last } = fakeIo(true);
  let queries = 0;
  const p = createProgress(io, { refreshMs: 5, queries: () => queries, budget: 100_000 });
  t.teardown(() => p.done());
  p.update('layer 1: segments');
  clock.now = 10_000;
  queries = 5000;
  // 5000 in 10 s = 500/s; 95000 left = 190 s = 3m 10s.
  await until(() => last().includes('500 q/s'), 'a refresh with the polled count');
  t.equal(last(), `${CLEAR}█░░░░░░░░░░░░░░░░░░░  5%  500 q/s  ETA 3m 10s  layer 1: segments`);
  p.update('layer 1: segments', { fraction: 0.5, queries: 1 });
  t.match(last(), /50% {2}500 q\/s/, 'the polled count overrides detail.queries; the fraction overrides the budget');
});

t.test('progress - the ETA of a phase counts down between messages', async (t) => {
  const { io, clock, last } = fakeIo(true);
  const p = createProgress(io, { refreshMs: 5 });
  t.teardown(() => p.done());
  p.update('phase', { fraction: 0 });
  clock.now = 10_000;
  p.update('phase', { fraction: 0.5 });
  t.match(last(), /ETA 10s/);
  clock.now = 14_000;
  await until(() => last().includes('ETA 6s'), 'the refresh to count down');
  t.pass('10 s left at 10 000 ms is 6 s left at 14 000 ms');
});

t.test('progress - the line is cut to the terminal width', async (t) => {
  const { io, last } = fakeIo(true, 30);
  const p = createProgress(io, { refreshMs: 0 });
  p.update('a long message', { fraction: 0.5 });
  t.equal(last(), `${CLEAR}██████████░░░░░░░░░░  50%  a…`);
  t.equal(last().length - CLEAR.length, 29, 'one column short of the width, so the line does not wrap');
  p.done();
});

t.test('progress - bad numbers throw a RangeError that names them', async (t) => {
  const { io } = fakeIo(false);
  const p = createProgress(io);
  t.throws(() => p.update('x', { fraction: 1.5 }), { name: 'RangeError', message: /detail\.fraction must be in \[0, 1\] \(got 1\.5\)/ });
  t.throws(() => p.update('x', { fraction: Number.NaN }), { name: 'RangeError', message: /detail\.fraction/ });
  t.throws(() => p.update('x', { queries: -1 }), { name: 'RangeError', message: /detail\.queries/ });
  t.throws(() => createProgress(io, { budget: Number.POSITIVE_INFINITY }), { name: 'RangeError', message: /options\.budget/ });
  t.throws(() => createProgress(io, { rateWindowMs: 0 }), { name: 'RangeError', message: /options\.rateWindowMs/ });
});
