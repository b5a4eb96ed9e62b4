import t from 'tap';
import { expandCells } from '../src/index.js';

t.test('cells - ids and order: architecture, init, seed, setting', async (t) => {
  const cells = expandCells({ architectures: ['10-20-1', '2-4-1'], inits: ['rk', 'carlini'], seeds: [1, 2], settings: [{ name: 'a' }, { name: 'b', workers: 4 }] });
  t.equal(cells.length, 16);
  t.same(cells.slice(0, 5).map((c) => c.id), ['10-20-1/rk/seed1/a', '10-20-1/rk/seed1/b', '10-20-1/rk/seed2/a', '10-20-1/rk/seed2/b', '10-20-1/carlini/seed1/a']);
  t.equal(cells[15].id, '2-4-1/carlini/seed2/b');
  t.same(cells[1].architecture, [10, 20, 1]);
  t.same(cells[1].setting, { name: 'b', workers: 4, budget: null, domainScale: 1, recoverySeed: 1 });
  t.same(cells[2].setting.recoverySeed, 2, 'the recovery seed follows the target seed by default');
  t.same(new Set(cells.map((c) => c.id)).size, 16, 'ids are unique');
  t.same(expandCells({ architectures: ['10-20-1', '2-4-1'], inits: ['rk', 'carlini'], seeds: [1, 2], settings: [{ name: 'a' }, { name: 'b', workers: 4 }] }), cells, 'deterministic');
});

t.test('cells - no settings means one named default; defaults.workers fills unnamed worker counts', async (t) => {
  const cells = expandCells({ architectures: ['2-3-1'], inits: ['balanced'], seeds: [5] }, { workers: 3 });
  t.same(cells.map((c) => c.id), ['2-3-1/balanced/seed5/default']);
  t.equal(cells[0].setting.workers, 3);
  t.throws(() => expandCells({ architectures: ['2-3-1'], inits: ['rk'], seeds: [] }), { name: 'ExperimentSpecError', field: 'seeds' });
});
