// Recovery figures for the issue-3 table: each target is generated (or trained), served through the
// HTTP black box (createOracleServer on 127.0.0.1, so the server counts every query), recovered with
// no architecture given, and judged by compareNetworks (1e5 N(0, I) inputs for fidelity).
//
// Run from the repo root after building:  pnpm build && node bench/recovery.bench.mjs [--cases 10-10-1:rk:1,...]
// Prints one markdown row per case.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateNetwork, parameterCount, architecture } from '../packages/network/dist/index.js';
import { createNetworkOracle, createOracleServer, connectHttpOracle } from '../packages/oracle/dist/index.js';
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
  const server = await createOracleServer(createNetworkOracle(net));
  const oracle = await connectHttpOracle(server.url);
  const t0 = performance.now();
  let row;
  try {
    const res = await recoverNetwork((x, r) => oracle.query(x, r), { inputDim: oracle.inputDim, outputDim: oracle.outputDim }, { seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const cmp = compareNetworks(net, res.network, { fidelitySamples: Number(values.samples) });
    const p = parameterCount(net);
    row = [arch, init, seed, p, res.architecture.join('-'), res.complete ? 'yes' : 'no', server.queries, (server.queries / p).toFixed(1),
      Number.isFinite(cmp.bits) ? cmp.bits.toFixed(1) : String(cmp.bits), cmp.fidelity ? cmp.fidelity.relativeError.toExponential(1) : 'n/a', seconds.toFixed(1)];
  } catch (e) {
    row = [arch, init, seed, parameterCount(net), `error: ${e.message}`, 'no', server.queries, '', '', '', ((performance.now() - t0) / 1000).toFixed(1)];
  }
  console.log(`| ${row.join(' | ')} |`);
  await oracle.close();
  await server.close();
}
