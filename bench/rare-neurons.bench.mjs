// Issue 4's constructed case for the rare-neuron search (ALGORITHM.md section 7): a generated network
// in which one layer-2 neuron is moved (its bias only, setActivity) to be active on `--rare` of N(0, I)
// inputs (a narrow cone) and another on `--common` of them (its boundary far out), served by
// `relurec oracle serve`, recovered by `relurec recover --oracle URL --workers W --json` with no
// architecture given, and judged by compareNetworks. Each row says how often the two neurons are
// active on 1e5 fresh inputs and whether each was recovered (its matched row's aligned error).
//
//   pnpm build && node bench/rare-neurons.bench.mjs [--arch 10-20-20-1] [--seeds 1,2,3] [--rare 0.001] [--common 0.9995]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareNetworks } from '../packages/judge/dist/index.js';
import { generateNetwork, loadNetwork, parameterCount, preActivations, saveNetwork, setActivity } from '../packages/network/dist/index.js';
import { createRng } from '../packages/random/dist/index.js';
import { recoverOverHttp } from './lib/recoverOverHttp.mjs';

const { values } = parseArgs({ options: {
  arch: { type: 'string', default: '10-20-20-1' }, init: { type: 'string', default: 'rk' }, seeds: { type: 'string', default: '1,2,3' },
  rare: { type: 'string', default: '0.001' }, common: { type: 'string', default: '0.9995' }, layer: { type: 'string', default: '2' },
  workers: { type: 'string', default: '2' }, samples: { type: 'string', default: '100000' },
} });
const layer = Number(values.layer);

/** Fractions of n fresh N(0, I) inputs on which each listed neuron of `layer` is active. */
function activity(net, neurons, n = 100_000) {
  const n0 = net.layers[0].inDim, rng = createRng(12345), X = new Float64Array(n * n0);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextGaussian();
  const z = preActivations(net, X, n)[layer - 1], w = net.layers[layer - 1].outDim;
  return neurons.map((j) => { let on = 0; for (let r = 0; r < n; r++) if (z[r * w + j] > 0) on++; return on / n; });
}

console.log(`| target | init | seed | rare neuron active | common neuron active | found | complete | queries | q/param | bits | rare neuron error | common neuron error | fidelity (rel) | seconds |`);
console.log('|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const seed of values.seeds.split(',').map(Number)) {
  const base = generateNetwork({ architecture: values.arch.split('-').map(Number), seed, init: values.init });
  const net = setActivity(base, [{ layer, neuron: 0, fraction: Number(values.rare) }, { layer, neuron: 1, fraction: Number(values.common) }], { seed: 7 });
  const [rareOn, commonOn] = activity(net, [0, 1]);
  const file = join(mkdtempSync(join(tmpdir(), 'relurec-rare-')), 'target.json');
  await saveNetwork(file, net);
  const { code, seconds, stdout, served, out } = await recoverOverHttp(file, { workers: values.workers });
  const pct = (f) => `${(100 * f).toFixed(3)}%`;
  try {
    const report = JSON.parse(stdout);
    const cmp = compareNetworks(net, await loadNetwork(out), { fidelitySamples: Number(values.samples) });
    const pairs = cmp.layers[layer - 1]?.pairs ?? [];
    const err = (j) => { const p = pairs.find((q) => q.truth === j); return p ? p.error.toExponential(1) : 'not found'; };
    const p = parameterCount(net);
    console.log(`| ${values.arch} | ${values.init} | ${seed} | ${pct(rareOn)} | ${pct(commonOn)} | ${report.architecture.join('-')} | ${report.complete ? 'yes' : `no (exit ${code})`} | ${served} | ${(served / p).toFixed(1)} | ${Number.isFinite(cmp.bits) ? cmp.bits.toFixed(1) : cmp.bits} | ${err(0)} | ${err(1)} | ${cmp.fidelity ? cmp.fidelity.relativeError.toExponential(1) : 'n/a'} | ${seconds.toFixed(1)} |`);
  } catch (e) {
    console.log(`| ${values.arch} | ${values.init} | ${seed} | ${pct(rareOn)} | ${pct(commonOn)} | error (exit ${code}): ${e.message} | no | ${served} | | | | | | ${seconds.toFixed(1)} |`);
  }
}
