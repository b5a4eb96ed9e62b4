import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { architecture, loadNetwork } from '@relurec/network';
import { cli } from './fixtures/cli.js';
import { relurec } from './fixtures/relurec.js';

t.test('generate - writes a valid relu-net file of the asked architecture', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'net.json');
  const run = await relurec(['generate', '--arch', '10-20-20-1', '--seed', '7', '--init', 'carlini', '--out', out]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /10-20-20-1/);
  const net = await loadNetwork(out);
  t.same(architecture(net), [10, 20, 20, 1]);
  t.match(net.meta, { init: 'carlini', seed: 7 });
  const doc = JSON.parse(await readFile(out, 'utf8'));
  t.equal(doc.format, 'relu-net');
  t.equal(doc.version, 1);
  t.equal(doc.layers[0].weights.length, 20, 'weights are out x in');
  t.equal(doc.layers[0].weights[0].length, 10);
});

t.test('generate - is deterministic in the seed', async (t) => {
  const dir = t.testdir();
  const files = ['a.json', 'b.json', 'c.json'].map((f) => join(dir, f));
  const seeds = ['3', '3', '4'];
  for (const [i, file] of files.entries()) {
    const run = await relurec(['generate', '--arch', '5-4-2', '--seed', seeds[i], '--out', file]);
    t.equal(run.code, 0, run.stderr);
  }
  const [a, b, c] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  t.equal(a, b, 'same seed, same bytes');
  t.not(a, c, 'another seed, another network');
});

t.test('generate - a bad --arch exits 2 with a message naming it', async (t) => {
  const dir = t.testdir();
  const run = await relurec(['generate', '--arch', '10-x-1', '--out', join(dir, 'n.json')]);
  t.equal(run.code, 2);
  t.match(run.stderr, /^relurec: --arch: .*'10-x-1'/m);
  t.equal(run.stdout, '');
  for (const arch of ['10', '10-0-1', '10--1']) {
    const inProcess = await cli(['generate', '--arch', arch, '--out', join(dir, 'n.json')]);
    t.equal(inProcess.code, 2, `--arch ${arch}`);
    t.match(inProcess.stderr, `relurec: --arch: architecture must look like 10-20-1 (positive integer widths joined by '-'), got '${arch}'`);
  }
});

t.test('generate - a missing --out or unknown flag is a usage error (exit 2)', async (t) => {
  const missing = await cli(['generate', '--arch', '3-2-1']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /Missing required argument: out/);
  const unknown = await cli(['generate', '--arch', '3-2-1', '--out', 'x.json', '--bogus']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /Unknown argument: bogus/);
  const init = await cli(['generate', '--arch', '3-2-1', '--out', 'x.json', '--init', 'xavier']);
  t.equal(init.code, 2);
  t.match(init.stderr, /init/);
});
