import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ReportFiles, runExperiment, writeReport } from '../src/index.js';
import { embeddedRecover } from './fixtures/embeddedRecover.js';
import { allText, findAll, parseSvg } from '../../plot/test/fixtures/parseSvg.js';

t.test('report - report.md has every cell; the three SVGs are well-formed and hold the series', async (t) => {
  const dir = t.testdir();
  const spec = { architectures: ['2-3-1', '2-4-1'], inits: ['rk' as const, 'balanced' as const], seeds: [1, 2], settings: [{ name: 'w1', workers: 1 }, { name: 'w2', workers: 2 }], fidelitySamples: 500 };
  const summary = await runExperiment({ spec, outDir: dir, recover: embeddedRecover, saveNetworks: false });
  t.equal(summary.results.length, 16);
  const written = await writeReport(dir);
  t.equal(written.cells, 16);
  t.same(written.files.map((f) => f.slice(dir.length + 1)), ['report.md', 'queries-vs-params.svg', 'bits.svg', 'seconds-vs-workers.svg']);

  const md = await readFile(join(dir, ReportFiles.markdown), 'utf8');
  for (const r of summary.results) t.match(md, `| ${r.id} | ${r.arch} | ${r.init} | ${r.seed} | ${r.setting} | ${r.params} | ${r.queries} |`);
  t.match(md, /^16 cells: 16 complete/m);
  for (const f of [ReportFiles.queries, ReportFiles.bits, ReportFiles.seconds]) t.match(md, `](${f})`);

  const queries = parseSvg(await readFile(join(dir, ReportFiles.queries), 'utf8'));
  const series = findAll(queries, 'g', 'series');
  t.same(series.map((g) => g.attributes['data-series']), ['rk/w1', 'rk/w2', 'balanced/w1', 'balanced/w2'], 'two inits and two settings: one series per init/setting');
  t.equal(series.reduce((n, g) => n + findAll(g, 'circle').length, 0), 16, 'a point per cell');
  t.same(findAll(queries, 'g', 'guide').map((g) => g.attributes['data-label']), ['y = 10x', 'y = 100x']);

  const bits = parseSvg(await readFile(join(dir, ReportFiles.bits), 'utf8'));
  t.equal(findAll(bits, 'rect', 'bar').length, 16);
  t.same(findAll(bits, 'g', 'rule').map((g) => g.attributes['data-label']), ['36 bits']);
  t.same(findAll(bits, 'g', 'legend-entry').map((g) => g.attributes['data-label']), ['rk', 'balanced']);

  const seconds = parseSvg(await readFile(join(dir, ReportFiles.seconds), 'utf8'));
  const lines = findAll(seconds, 'g', 'series');
  t.same(lines.map((g) => g.attributes['data-series']), ['2-3-1', '2-4-1']);
  t.same(lines.map((g) => findAll(g, 'circle').length), [2, 2], 'a point per worker count');
  t.match(allText(seconds), /workers/);
});

t.test('report - a folder without results.jsonl is an error saying so', async (t) => {
  await t.rejects(writeReport(t.testdir()), { name: 'ResultsFileError', message: /no results\.jsonl here: run the experiment first/ });
});
