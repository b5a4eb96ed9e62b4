import t from 'tap';
import { assertRunId, formatTaskId, isRunId, isTaskId } from '../src/index.js';

t.test('ids - runIds are one subject token that is not reserved', async (t) => {
  for (const good of ['r1', 'run-2026_11_26', 'A'.repeat(64)]) t.ok(isRunId(good), good);
  for (const bad of ['', 'a.b', 'a*', 'a>', 'a b', 'a/b', 'A'.repeat(65), 'workers', 'oracle', 'cluster', 7]) t.notOk(isRunId(bad), String(bad));
  t.throws(() => assertRunId('a.b'), { name: 'RangeError', message: /runId must match/ });
  t.throws(() => assertRunId('workers'), { name: 'RangeError', message: /reserved/ });
});

t.test('ids - taskIds are zero-padded phase.index and sort as numbers', async (t) => {
  t.equal(formatTaskId(12, 3), '00012.00003');
  t.ok(isTaskId('00000.00000'));
  t.notOk(isTaskId('12.3'));
  t.notOk(isTaskId('00012.000031'));
  const ids = [formatTaskId(2, 10), formatTaskId(10, 1), formatTaskId(2, 9)].sort();
  t.same(ids, ['00002.00009', '00002.00010', '00010.00001']);
  t.throws(() => formatTaskId(100_000, 0), { name: 'RangeError', message: /phase must be an integer in \[0, 99999\]/ });
  t.throws(() => formatTaskId(1, -1), { name: 'RangeError', message: /index/ });
});
