// Shared by the recovery benches: serve a relu-net file with `relurec oracle serve` in its own
// process (as a remote API would be), recover it with `relurec recover --oracle URL --json` in
// another, and return the run's report with the black box's own query count.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const CLI = 'packages/cli/dist/main.js';

/** { code, seconds, stdout (the --json report), served (queries the server answered), out (the recovered file) } */
export async function recoverOverHttp(file, { workers = '2', seed = '1', extra = [] } = {}) {
  const server = spawn(process.execPath, [CLI, 'oracle', 'serve', '--target', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverErr = '';
  server.stderr.setEncoding('utf8').on('data', (d) => (serverErr += d));
  const url = await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  const out = join(dirname(file), 'rec.json');
  const t0 = performance.now();
  const run = spawn(process.execPath, [CLI, 'recover', '--oracle', url, '--out', out, '--workers', workers, '--seed', seed, '--json', ...extra], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  run.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  const code = await new Promise((resolve) => run.on('close', resolve));
  const seconds = (performance.now() - t0) / 1000;
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('close', resolve));
  const served = Number(/answering (\d+) queries/.exec(serverErr)?.[1] ?? NaN);
  return { code, seconds, stdout, served, out };
}
