import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { startNatsServer } from '../helpers/natsServer.js';
import { startRelurec } from '../helpers/relurecProcess.js';

// Issue 6: `experiment run --nats` runs every cell on the cluster; a rerun skips finished cells.
t.test('experiment run --nats - cells run on the cluster, results appended once, a rerun skips them', async (t) => {
  const server = await startNatsServer();
  t.teardown(server.stop);
  const nats = ['--nats', server.url];
  startRelurec(t, ['coordinator', ...nats]);
  startRelurec(t, ['merger', ...nats]);
  startRelurec(t, ['worker', ...nats, '--threads', '1']);
  const dir = t.testdir({});
  const spec = join(dir, 'spec.json');
  await writeFile(spec, JSON.stringify({ architectures: ['3-4-1'], inits: ['rk'], seeds: [1, 2], fidelitySamples: 1000 }));
  const out = join(dir, 'out');
  const first = startRelurec(t, ['experiment', 'run', spec, '--out', out, ...nats]);
  t.equal(await first.exited, 0, `first run (${first.stderr().slice(-300)})`);
  const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  t.equal(lines.length, 2, 'one line per cell');
  t.ok(lines.every((l) => l.complete && l.architectureMatch), 'both recovered on the cluster');
  const again = startRelurec(t, ['experiment', 'run', spec, '--out', out, ...nats]);
  t.equal(await again.exited, 0);
  t.match(again.stdout(), /2 from before, 0 now/, 'the rerun skips the finished cells');
  t.equal((await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').length, 2, 'and appends nothing');
});
