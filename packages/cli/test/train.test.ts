import { join } from 'node:path';
import t from 'tap';
import { architecture, loadNetwork } from '@relurec/network';
import { relurec } from './fixtures/relurec.js';

t.test('train - writes a trained classifier with its data seed in meta; progress on stderr', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'net.json');
  const run = await relurec(['train', '--arch', '5-8-3', '--samples', '200', '--epochs', '5', '--seed', '2', '--data-seed', '9', '--out', out]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stderr, /epoch 5\/5 {2}loss \d/);
  const net = await loadNetwork(out);
  t.same(architecture(net), [5, 8, 3]);
  t.match(net.meta, { trainer: 'relurec train', task: 'memorisation', seed: 2, dataSeed: 9, classes: 3, samples: 200, epochs: 5 });
});
