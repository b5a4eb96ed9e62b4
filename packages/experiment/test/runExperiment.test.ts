import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { loadNetwork } from '@relurec/network';
import { ExperimentCellError, runExperiment, type ExperimentSpec, type RecoverCell } from '../src/index.js';
import { embeddedRecover } from './fixtures/embeddedRecover.js';

const spec: ExperimentSpec = { architectures: ['2-3-1', '2-4-1'], inits: ['rk'], seeds: [1, 2], fidelitySamples: 2000 };
const ids = ['2-3-1/rk/seed1/default', '2-3-1/rk/seed2/default', '2-4-1/rk/seed1/default', '2-4-1/rk/seed2/default'];

async function lines(dir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(dir, 'results.jsonl'), 'utf8');
  t.ok(text.endsWith('\n'), 'results.jsonl ends with a newline');
  return text.trimEnd().split('\n').map((l) => JSON.parse(l));
}

function counting(recover: RecoverCell): RecoverCell & { calls: string[] } {
  const calls: string[] = [];
  return Object.assign(async (target: Parameters<RecoverCell>[0], cell: Parameters<RecoverCell>[1]) => {
    calls.push(cell.id);
    return recover(target, cell);
  }, { calls });
}

t.test('experiment - a tiny spec runs: one line per cell, judged by the judge', async (t) => {
  const dir = t.testdir();
  const logged: string[] = [];
  const summary = await runExperiment({ spec, outDir: dir, recover: embeddedRecover, log: (m) => logged.push(m) });
  t.match(summary, { cells: 4, skipped: 0, ran: 4, stopped: false });
  t.same(summary.results.map((r) => r.id), ids);
  const rows = await lines(dir);
  t.same(rows.map((r) => r.id), ids);
  for (const r of rows) {
    t.match(r, { init: 'rk', setting: 'default', architectureMatch: true, complete: true, allMatched: true, workers: 1 });
    t.equal(r.params, r.arch === '2-3-1' ? 13 : 17, 'params: 3*(2+1) + (3+1) = 13; 4*(2+1) + (4+1) = 17');
    t.equal(r.queriesPerParam, (r.queries as number) / (r.params as number));
    t.ok(r.bits === 'Infinity' || (r.bits as number) >= 36, `${r.id}: ${r.bits} bits`);
    t.ok((r.fidelity as number) < 1e-9, `${r.id}: fidelity ${r.fidelity}`);
  }
  t.equal(logged.length, 4);
  t.match(logged[0], /^\[1\/4\] 2-3-1\/rk\/seed1\/default: complete, \d+ queries/);
  const target = await loadNetwork(join(dir, 'networks', '2-4-1', 'rk', 'seed2', 'default', 'target.json'));
  t.equal(target.layers[0].outDim, 4, 'networks/<cell id>/target.json is written');
  t.ok((await stat(join(dir, 'networks', '2-4-1', 'rk', 'seed2', 'default', 'recovered.json'))).isFile());
});

t.test('experiment - a run aborted by a failing recovery resumes: finished cells are skipped, none duplicated', async (t) => {
  const dir = t.testdir();
  let calls = 0;
  const failing: RecoverCell = async (target, cell) => {
    if (++calls === 2) throw new Error('worker lost');
    return embeddedRecover(target, cell);
  };
  const error = await runExperiment({ spec, outDir: dir, recover: failing }).catch((e: unknown) => e);
  t.ok(error instanceof ExperimentCellError);
  t.match(error, { cellId: ids[1], message: /cell 2-3-1\/rk\/seed2\/default: recovery failed: worker lost/ });
  t.same((await lines(dir)).map((r) => r.id), [ids[0]], 'the first cell was written before the failure');

  const again = counting(embeddedRecover);
  const summary = await runExperiment({ spec, outDir: dir, recover: again });
  t.match(summary, { cells: 4, skipped: 1, ran: 3 });
  t.same(again.calls, ids.slice(1), 'only unfinished cells are recovered');
  t.same((await lines(dir)).map((r) => r.id), ids, 'each cell once, in order');

  const third = counting(embeddedRecover);
  t.match(await runExperiment({ spec, outDir: dir, recover: third }), { skipped: 4, ran: 0 });
  t.same(third.calls, [], 'a finished experiment recovers nothing');
});

t.test('experiment - a partially written last line is ignored and its cell rewritten', async (t) => {
  const dir = t.testdir();
  await runExperiment({ spec, outDir: dir, recover: embeddedRecover });
  const file = join(dir, 'results.jsonl');
  const text = await readFile(file, 'utf8');
  const cut = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1 + 40); // the last line's first 40 characters
  await writeFile(file, cut);
  const again = counting(embeddedRecover);
  const logged: string[] = [];
  const summary = await runExperiment({ spec, outDir: dir, recover: again, log: (m) => logged.push(m) });
  t.match(summary, { skipped: 3, ran: 1 });
  t.same(again.calls, [ids[3]]);
  t.match(logged[0], /partially written last line/);
  t.same((await lines(dir)).map((r) => r.id), ids);
});

t.test('experiment - a malformed line before the last is an error naming the file and line', async (t) => {
  const dir = t.testdir();
  await writeFile(join(dir, 'results.jsonl'), '{"id":"x"}\n{"id":\n');
  await t.rejects(runExperiment({ spec, outDir: dir, recover: embeddedRecover }), { name: 'ResultsFileError', line: 1, message: /results\.jsonl:1: arch must be a string/ });
});

t.test('experiment - an abort signal stops between cells; the rest run on the next call', async (t) => {
  const dir = t.testdir();
  const controller = new AbortController();
  const summary = await runExperiment({ spec, outDir: dir, recover: embeddedRecover, signal: controller.signal, log: () => controller.abort() });
  t.match(summary, { ran: 1, stopped: true });
  t.equal((await lines(dir)).length, 1);
  t.match(await runExperiment({ spec, outDir: dir, recover: embeddedRecover }), { skipped: 1, ran: 3, stopped: false });
});

t.test('experiment - settings are recorded; a budget too small to recover anything gives a null network', async (t) => {
  const dir = t.testdir();
  const summary = await runExperiment({
    spec: { architectures: ['2-3-1'], inits: ['carlini'], seeds: [1], settings: [{ name: 'w4', workers: 4 }, { name: 'tiny', budget: 20, recoverySeed: 5 }], fidelitySamples: 500 },
    outDir: dir,
    recover: embeddedRecover,
    saveNetworks: false,
  });
  const [w4, tiny] = summary.results;
  t.match(w4, { id: '2-3-1/carlini/seed1/w4', workers: 4, complete: true, budget: null });
  t.match(tiny, { id: '2-3-1/carlini/seed1/tiny', complete: false, budget: 20, recoverySeed: 5, architectureMatch: false, recoveredArch: null, fidelity: null });
  t.ok(Number.isNaN(tiny.bits));
  t.ok(tiny.queries <= 20);
  const rows = await lines(dir);
  t.equal(rows[1].bits, null, 'NaN bits are written as null');
  await t.rejects(stat(join(dir, 'networks')), { code: 'ENOENT' }, 'saveNetworks: false writes no networks');
});

t.test('experiment - a recover that breaks its contract fails the cell with the reason', async (t) => {
  const dir = t.testdir();
  const broken: RecoverCell = async () => ({ network: null, complete: false, queries: -1, seconds: 0, warnings: [] });
  await t.rejects(runExperiment({ spec, outDir: dir, recover: broken }), { name: 'ExperimentCellError', message: /queries must be a non-negative number/ });
  await t.rejects(runExperiment({ spec, outDir: dir, recover: undefined as unknown as RecoverCell }), { name: 'TypeError', message: /options\.recover/ });
});
