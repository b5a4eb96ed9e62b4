// Recovery figures for the issue-3 table: each target is generated (or trained), served as an HTTP
// black box by `relurec oracle serve` in its own process on 127.0.0.1 (as a remote API would be),
// recovered by `relurec recover --oracle URL --workers W --json` in another process (embedded mode:
// coordinator, merger intake and a piscina pool of W threads) with no architecture given, and judged
// by compareNetworks (1e5 N(0, I) inputs for fidelity). Queries are counted by the black box itself
// (the server's count, printed when it stops); the run's logical count is checked against it.
//
// Run from the repo root after building:
//   pnpm build && node bench/recovery.bench.mjs [--cases 10-10-1:rk:1,...] [--workers 2]
// Prints one markdown row per case.
import { parseArgs } from 'node:util';
import { generateNetwork, parameterCount } from '../packages/network/dist/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork, saveNetwork } from '../packages/network/dist/index.js';
import { compareNetworks } from '../packages/judge/dist/index.js';
import { makeMemorisationTask, trainNetwork } from '../packages/train/dist/index.js';
import { recoverOverHttp } from './lib/recoverOverHttp.mjs';

const DEFAULT_CASES = [
  '10-10-1:rk:1', '10-10-1:rk:2', '10-10-1:carlini:1', '10-10-1:carlini:2',
  '20-10-1:rk:1', '20-10-1:rk:2', '20-10-1:carlini:1', '20-10-1:carlini:2',
  '10-20-1:rk:1', '10-20-1:rk:2', '10-20-1:carlini:1', '10-20-1:carlini:2',
  '784-128-1:rk:1', '784-128-1:carlini:1',
  '10-10-10-1:rk:1', '10-20-20-1:rk:1', '30-40-20-10:rk:1', '10-20-20-2:trained:1',
];
const { values } = parseArgs({ options: { cases: { type: 'string' }, samples: { type: 'string', default: '100000' }, workers: { type: 'string', default: '2' } } });
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
  const { code, seconds, stdout, served, out } = await recoverOverHttp(file, { workers: values.workers });
  let row;
  try {
    const report = JSON.parse(stdout);
    const rec = await loadNetwork(out);
    const cmp = compareNetworks(net, rec, { fidelitySamples: Number(values.samples) });
    const p = parameterCount(net);
    const note = served === report.queries ? '' : ` (run counted ${report.queries})`;
    row = [arch, init, seed, p, report.architecture.join('-'), report.complete ? 'yes' : `no (exit ${code})`, `${served}${note}`, (served / p).toFixed(1),
      Number.isFinite(cmp.bits) ? cmp.bits.toFixed(1) : String(cmp.bits), cmp.fidelity ? cmp.fidelity.relativeError.toExponential(1) : 'n/a', seconds.toFixed(1)];
  } catch (e) {
    row = [arch, init, seed, parameterCount(net), `error (exit ${code}): ${e.message}`, 'no', served, '', '', '', seconds.toFixed(1)];
  }
  console.log(`| ${row.join(' | ')} |`);
}
