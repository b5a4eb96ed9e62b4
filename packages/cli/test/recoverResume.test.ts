import { spawn } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { MAIN, relurec, writeTarget } from './fixtures/relurec.js';

/** Bytes of the fragment log so far (0 before the first fragment). */
async function logBytes(stateDir: string): Promise<number> {
  const dir = join(stateDir, 'fragments');
  const files = await readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const f of files) total += (await stat(join(dir, f))).size;
  return total;
}

t.test('recover --resume - a run killed mid-way resumes from its fragments and ends with the same network', async (t) => {
  const dir = t.testdir({});
  const net = await writeTarget(join(dir, 'net.json'), [10, 10, 10, 1], 3);
  const state = join(dir, 'state');
  // Kill -9 once some tasks are done: no clean shutdown, only what reached the fragment log.
  const child = spawn(process.execPath, [MAIN, 'recover', '--target', net, '--out', join(dir, 'a.json'), '--state-dir', state, '--workers', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise((resolve) => child.on('close', resolve));
  for (let i = 0; i < 600 && (await logBytes(state)) < 60_000; i++) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await exited;
  const runId = /run (run-[\w-]+)/.exec(stderr)?.[1];
  t.ok(runId, `the run id was printed (${stderr.split('\n')[0]})`);
  t.ok((await logBytes(state)) > 0, 'fragments were kept');

  const resumed = await relurec(['recover', '--resume', runId!, '--out', join(dir, 'a.json'), '--state-dir', state, '--workers', '1', '--json'], { timeoutMs: 120_000 });
  t.equal(resumed.code, 0, resumed.stderr.slice(-500));
  const report = JSON.parse(resumed.stdout) as { tasks: { issued: number; replayed: number }; queries: number; architecture: number[] };
  t.ok(report.tasks.replayed > 0, `${report.tasks.replayed} of ${report.tasks.issued} tasks came from before the kill`);
  t.ok(report.tasks.replayed < report.tasks.issued, 'and the rest were run after it');

  const fresh = await relurec(['recover', '--target', net, '--out', join(dir, 'b.json'), '--state-dir', join(dir, 'state-b'), '--workers', '2', '--json'], { timeoutMs: 120_000 });
  t.equal(fresh.code, 0);
  const a = JSON.parse(await readFile(join(dir, 'a.json'), 'utf8')), b = JSON.parse(await readFile(join(dir, 'b.json'), 'utf8'));
  t.same(a.layers, b.layers, 'the resumed network is bit-identical to an uninterrupted run');
  t.equal(report.queries, JSON.parse(fresh.stdout).queries, 'and so is the logical query count');
});
