import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { XMLValidator } from 'fast-xml-parser';
import { ExitCode } from '../src/index.js';
import { experimentCommand } from '../src/commands/index.js';
import { commandCli } from './fixtures/commandCli.js';

const experiment = (args: string[]) => commandCli('experiment', experimentCommand, ['experiment', ...args]);
const tinySpec = { architectures: ['2-3-1', '2-4-1'], inits: ['rk'], seeds: [1, 2], fidelitySamples: 1000 };

async function resultIds(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'results.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l).id);
}

t.test('experiment - run a tiny spec with the embedded recovery, then resume without duplicates', async (t) => {
  const dir = t.testdir();
  const spec = join(dir, 'spec.json'), out = join(dir, 'exp');
  await writeFile(spec, JSON.stringify(tinySpec));
  const run = await experiment(['run', spec, '--out', out, '--workers', '2']);
  t.equal(run.code, ExitCode.done, run.stderr);
  t.match(run.stdout, /^experiment: 4 of 4 cells finished \(0 from before, 4 now\): 4 complete, 4 with every neuron matched$/m);
  t.match(run.stderr, /\[1\/4\] 2-3-1\/rk\/seed1\/default: complete/);

  t.same(await resultIds(out), ['2-3-1/rk/seed1/default', '2-3-1/rk/seed2/default', '2-4-1/rk/seed1/default', '2-4-1/rk/seed2/default']);
  const first = JSON.parse((await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n')[0]);
  t.match(first, { workers: 2, params: 13, complete: true, architectureMatch: true });
  for (const f of ['report.md', 'queries-vs-params.svg', 'bits.svg', 'seconds-vs-workers.svg']) t.ok((await stat(join(out, f))).isFile(), f);
  for (const f of ['queries-vs-params.svg', 'bits.svg', 'seconds-vs-workers.svg']) t.equal(XMLValidator.validate(await readFile(join(out, f), 'utf8')), true, `${f} is well-formed`);

  // A truncated last line (a write cut short) is rerun; finished cells are not.
  const file = join(out, 'results.jsonl');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.slice(0, text.length - 30));
  const again = await experiment(['run', spec, '--out', out]);
  t.equal(again.code, ExitCode.done, again.stderr);
  t.match(again.stdout, /4 of 4 cells finished \(3 from before, 1 now\)/);
  t.match(again.stderr, /partially written last line/);
  t.same((await resultIds(out)).length, 4, 'no duplicate lines');
});

t.test('experiment - report rewrites report.md and the charts from results.jsonl', async (t) => {
  const dir = t.testdir();
  const spec = join(dir, 'spec.json');
  await writeFile(spec, JSON.stringify({ ...tinySpec, architectures: ['2-3-1'], seeds: [1] }));
  t.equal((await experiment(['run', spec, '--out', dir])).code, ExitCode.done);
  await writeFile(join(dir, 'report.md'), 'stale');
  const run = await experiment(['report', dir]);
  t.equal(run.code, ExitCode.done, run.stderr);
  t.match(run.stdout, /^report of 1 cells: wrote .*report\.md, .*queries-vs-params\.svg, .*bits\.svg, .*seconds-vs-workers\.svg$/m);
  t.match(await readFile(join(dir, 'report.md'), 'utf8'), /\| 2-3-1\/rk\/seed1\/default \| 2-3-1 \| rk \| 1 \| default \| 13 \|/);
});

t.test('experiment - bad input exits 2 with a message naming the field or flag', async (t) => {
  const dir = t.testdir();
  const spec = join(dir, 'spec.json');
  await writeFile(spec, JSON.stringify({ architectures: ['2-3-1'], inits: ['rk'] }));
  const missing = await experiment(['run', spec, '--out', join(dir, 'out')]);
  t.equal(missing.code, ExitCode.usage);
  t.match(missing.stderr, /^relurec: .*spec\.json: seeds: is missing/m);
  await t.rejects(stat(join(dir, 'out')), { code: 'ENOENT' }, 'a bad spec changes nothing');

  await writeFile(spec, JSON.stringify({ ...tinySpec, settings: [{ name: 'x', workers: 'many' }] }));
  const field = await experiment(['run', spec, '--out', join(dir, 'out')]);
  t.equal(field.code, ExitCode.usage);
  t.match(field.stderr, /settings\[0\]\.workers: must be a positive integer/);

  const nats = await experiment(['run', spec, '--out', join(dir, 'out'), '--nats', 'nats://127.0.0.1:1']);
  t.equal(nats.code, ExitCode.usage);
  t.match(nats.stderr, /cannot use the NATS server at nats:\/\/127\.0\.0\.1:1/);

  const noSpec = await experiment(['run', join(dir, 'nope.json'), '--out', join(dir, 'out')]);
  t.equal(noSpec.code, ExitCode.usage);
  t.match(noSpec.stderr, /nope\.json: \(file\): cannot read file/);

  const report = await experiment(['report', join(dir, 'empty')]);
  t.equal(report.code, ExitCode.usage);
  t.match(report.stderr, /no results\.jsonl here: run the experiment first/);

  const bare = await experiment([]);
  t.equal(bare.code, ExitCode.usage);
  t.match(bare.stderr, /experiment needs a subcommand/);
});
