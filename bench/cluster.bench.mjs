// Speedup against worker count (issue 5). One target is served by `relurec oracle serve` (optionally
// latency-bound with --latency-ms, as a remote API is), and recovered with the same seed:
//   cluster:  a fresh nats-server (JetStream), `relurec coordinator`, `relurec merger`, W
//             `relurec worker --threads 1` processes, and `relurec recover --nats URL --oracle URL`;
//   embedded: `relurec recover --oracle URL --workers W` (one process, a pool of W threads).
// Wall time is from submitting to the written result. Every run must give the same network; the
// table says so. Peak resident memory (VmHWM) of the coordinator and merger processes is read
// just before they stop. --latency 0 with --target-mode file makes it CPU-bound instead.
//
//   pnpm build && node bench/cluster.bench.mjs --arch 784-128-1 --latency 5 --workers 1,2,4,8 --modes cluster,embedded
// --plan-width N (and --trace-wave N) set the recovery's plan width (recorded in the run: the same in
// every row); the last column is the 1-minute load average when the row finished.
// --threads-cap C: W workers as at most C threads (embedded) or C worker processes of one thread
// (cluster), each running ceil(W / C) tasks at once (--tasks-per-thread): W tasks in flight on C
// cores, for a latency-bound black box. The 'slots' column says how W was split.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { generateNetwork, parameterCount, saveNetwork } from '../packages/network/dist/index.js';

const { values } = parseArgs({ options: {
  arch: { type: 'string', default: '784-128-1' }, init: { type: 'string', default: 'rk' }, seed: { type: 'string', default: '1' },
  latency: { type: 'string', default: '5' }, workers: { type: 'string', default: '1,2,4,8' }, modes: { type: 'string', default: 'cluster,embedded' },
  threads: { type: 'string', default: '1' }, 'threads-cap': { type: 'string' }, 'max-payload': { type: 'string' }, 'trace-wave': { type: 'string' }, 'plan-width': { type: 'string', default: '1' }, target: { type: 'string' },
} });
const CLI = 'packages/cli/dist/main.js';
const dir = mkdtempSync(join(tmpdir(), 'relurec-cluster-bench-'));
const net = generateNetwork({ architecture: values.arch.split('-').map(Number), seed: Number(values.seed), init: values.init });
const target = join(dir, 'target.json');
await saveNetwork(target, net);

const freePort = () => new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
const start = (args, opts = {}) => spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
const exited = (c) => new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('close', r)));
const firstLine = (c) => new Promise((r) => createInterface({ input: c.stdout }).once('line', r));

async function withOracle(fn) {
  const server = start(['oracle', 'serve', '--target', target, '--port', '0', '--latency-ms', values.latency]);
  const url = await firstLine(server);
  try { return await fn(url); } finally { server.kill('SIGTERM'); await exited(server); }
}

/** W workers as [threads or processes, tasks each] (see --threads-cap). */
const split = (w) => {
  const cap = values['threads-cap'] ? Number(values['threads-cap']) : Infinity;
  const units = Math.min(w, cap);
  return [units, Math.ceil(w / units)];
};

async function runOnce(mode, w) {
  const [workers, perThread] = split(w);
  return withOracle(async (oracleUrl) => {
    const out = join(dir, `${mode}-${workers}.json`);
    const procs = [];
    let natsUrl;
    let nats;
    if (mode === 'cluster') {
      const port = await freePort();
      // The server's default max_payload (1 MB) unless --max-payload: larger tasks and fragments go through the payload store.
      const conf = join(mkdtempSync(join(dir, 'js-')), 'nats.conf');
      const maxPayload = values['max-payload'] ? `max_payload: ${values['max-payload']}\n` : '';
      writeFileSync(conf, `port: ${port}\nhost: 127.0.0.1\n${maxPayload}jetstream { store_dir: "${dirname(conf)}" }\n`);
      nats = spawn('nats-server', ['-c', conf], { stdio: 'ignore' });
      natsUrl = `nats://127.0.0.1:${port}`;
      await new Promise((r) => setTimeout(r, 500));
      procs.push(start(['coordinator', '--nats', natsUrl]));
      procs.push(start(['merger', '--nats', natsUrl]));
      for (let i = 0; i < workers; i++) procs.push(start(['worker', '--nats', natsUrl, '--threads', values.threads, '--tasks-per-thread', String(perThread)]));
      await new Promise((r) => setTimeout(r, 1500));
    }
    const t0 = performance.now();
    const source = values.target === 'file' ? ['--target', target] : ['--oracle', oracleUrl];
    const wave = [...(values['trace-wave'] ? ['--trace-wave', values['trace-wave']] : []), '--plan-width', values['plan-width']];
    const args = mode === 'cluster'
      ? ['recover', '--nats', natsUrl, ...source, ...wave, '--out', out, '--json']
      : ['recover', ...source, ...wave, '--out', out, '--workers', String(workers), '--tasks-per-thread', String(perThread), '--state-dir', mkdtempSync(join(dir, 'state-')), '--json'];
    const run = start(args);
    let stdout = '', runErr = '';
    run.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    run.stderr.setEncoding('utf8').on('data', (d) => (runErr += d));
    const code = await exited(run);
    const seconds = (performance.now() - t0) / 1000;
    const peak = (p) => { try { return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; } };
    const memory = mode === 'cluster' ? `coordinator ${peak(procs[0]).toFixed(0)} MiB, merger ${peak(procs[1]).toFixed(0)} MiB` : '';
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map(exited));
    if (nats) { nats.kill('SIGTERM'); await exited(nats); }
    const report = JSON.parse(stdout || '{}');
    if (code !== 0 && !report.out) return { code, seconds, memory, queries: report.queries, layers: `failed: ${runErr.split('\n').filter(Boolean).slice(-2).join(' / ')}` };
    return { code, seconds, memory, queries: report.queries, layers: JSON.stringify(JSON.parse(readFileSync(out, 'utf8')).layers) };
  });
}

console.log(`target ${values.arch} (${values.init}, seed ${values.seed}, ${parameterCount(net)} parameters), black box ${values.target === 'file' ? 'relu-net file in each worker thread (CPU-bound)' : `oracle serve, latency ${values.latency} ms`}, ${values.threads} thread(s) per cluster worker, plan width ${values['plan-width']}, trace wave ${values['trace-wave'] ?? values['plan-width']}`);
console.log('| mode | workers | slots | seconds | speedup | efficiency | queries | same network | peak memory | load |');
console.log('|---|---:|---|---:|---:|---:|---:|---|---|---:|');
let reference;
for (const mode of values.modes.split(',')) {
  let base;
  for (const w of values.workers.split(',').map(Number)) {
    const r = await runOnce(mode, w);
    reference ??= r.layers;
    base ??= r.seconds;
    const speedup = base / r.seconds;
    const [units, perThread] = split(w);
    console.log(`| ${mode} | ${w} | ${units} ${mode === 'cluster' ? 'process' : 'thread'}${units > 1 ? (mode === 'cluster' ? 'es' : 's') : ''} x ${perThread} | ${r.seconds.toFixed(1)} | ${speedup.toFixed(2)} | ${(speedup / w).toFixed(2)} | ${r.queries} | ${r.layers === reference ? 'yes' : 'NO'}${r.code === 0 ? '' : ` (exit ${r.code})`} | ${r.memory} | ${loadavg()[0].toFixed(1)} |`);
  }
}
