// Recovery figures for the issue-3 table: each target is generated (or trained), served as an HTTP
// black box by `relurec oracle serve` in its own process on 127.0.0.1 (as a remote API would be: the
// black box does not share the recovery's thread), recovered with no architecture given, and judged
// by compareNetworks (1e5 N(0, I) inputs for fidelity). Queries are the rows the client sent.
//
// Run from the repo root after building:  pnpm build && node bench/recovery.bench.mjs [--cases 10-10-1:rk:1,...]
// Prints one markdown row per case.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateNetwork, parameterCount } from '../packages/network/dist/index.js';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connectHttpOracle, createBudgetedOracle } from '../packages/oracle/dist/index.js';
import { saveNetwork } from '../packages/network/dist/index.js';
import { recoverNetwork } from '../packages/recovery/dist/index.js';
import { compareNetworks } from '../packages/judge/dist/index.js';
import { makeMemorisationTask, trainNetwork } from '../packages/train/dist/index.js';

const DEFAULT_CASES = [
  '10-10-1:rk:1', '10-10-1:rk:2', '10-10-1:carlini:1', '10-10-1:carlini:2',
  '20-10-1:rk:1', '20-10-1:rk:2', '20-10-1:carlini:1', '20-10-1:carlini:2',
  '10-20-1:rk:1', '10-20-1:rk:2', '10-20-1:carlini:1', '10-20-1:carlini:2',
  '784-128-1:rk:1', '784-128-1:carlini:1',
  '10-10-10-1:rk:1', '10-20-20-1:rk:1', '30-40-20-10:rk:1', '10-20-20-2:trained:1',
];
const { values } = parseArgs({ options: { cases: { type: 'string' }, samples: { type: 'string', default: '100000' } } });
const cases = values.cases ? values.cases.split(',') : DEFAULT_CASES;

function makeTarget(arch, init, seed) {
  const widths = arch.split('-').map(Number);
  if (init !== 'trained') return generateNetwork({ architecture: widths, seed, init });
  const data = makeMemorisationTask({ samples: 1000, inputDim: widths[0], classes: widths.at(-1), seed });
  return trainNetwork({ data, architecture: widths, seed, epochs: 200 }).network;
}

console.log('| target | init | seed | params | found | complete | queries | q/param | bits | fidelity (rel) | seconds |');
console.log('|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|');
for (const spec of cases) {
  const [arch, init, seedText] = spec.split(':');
  const seed = Number(seedText);
  const net = makeTarget(arch, init, seed);
  const file = join(mkdtempSync(join(tmpdir(), 'relurec-bench-')), 'target.json');
  await saveNetwork(file, net);
  const server = spawn(process.execPath, ['packages/cli/dist/main.js', 'oracle', 'serve', '--target', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve));
  const oracle = createBudgetedOracle(await connectHttpOracle(url));
  const t0 = performance.now();
  let row;
  try {
    const res = await recoverNetwork((x, r) => oracle.query(x, r), { inputDim: oracle.inputDim, outputDim: oracle.outputDim }, { seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const cmp = compareNetworks(net, res.network, { fidelitySamples: Number(values.samples) });
    const p = parameterCount(net);
    row = [arch, init, seed, p, res.architecture.join('-'), res.complete ? 'yes' : 'no', oracle.queries, (oracle.queries / p).toFixed(1),
      Number.isFinite(cmp.bits) ? cmp.bits.toFixed(1) : String(cmp.bits), cmp.fidelity ? cmp.fidelity.relativeError.toExponential(1) : 'n/a', seconds.toFixed(1)];
  } catch (e) {
    row = [arch, init, seed, parameterCount(net), `error: ${e.message}`, 'no', oracle.queries, '', '', '', ((performance.now() - t0) / 1000).toFixed(1)];
  }
  console.log(`| ${row.join(' | ')} |`);
  await oracle.close();
  server.kill('SIGTERM');
}
