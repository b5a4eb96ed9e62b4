// What the judge's unused-input search costs: compareNetworks of a generated network with a permuted,
// rescaled copy of itself (randomEquivalentNetwork), with the search off (unusedSamples 0) and at the
// default (10000 inputs a scale), and with the exact search of the pairs it leaves (a MILP solver
// given: @relurec/milp), and how many weights each leaves out.
//
//   pnpm build && node bench/judge.bench.mjs [--cases 10-15-15-15-15-1:carlini:3,...] [--repeat 3]
import { parseArgs } from 'node:util';
import { generateNetwork } from '../packages/network/dist/index.js';
import { compareNetworks, randomEquivalentNetwork } from '../packages/judge/dist/index.js';
import { loadMilpSolver } from '../packages/milp/dist/index.js';

const { values } = parseArgs({ options: {
  cases: { type: 'string', default: '10-20-20-1:rk:1,10-20-20-20-1:carlini:1,40-20-10-10-1:rk:1,10-15-15-15-15-1:rk:2,10-15-15-15-15-1:carlini:3,20-30-30-20-1:rk:1,784-128-1:rk:1' },
  repeat: { type: 'string', default: '3' },
} });
const repeat = Number(values.repeat);
const milp = await loadMilpSolver();
console.log('| network | unusedSamples 0: ms | default (10000 a scale): ms | weights left out | bits | with the exact search: ms | left out (proved) | bits |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const c of values.cases.split(',')) {
  const [arch, init, seed] = c.split(':');
  const net = generateNetwork({ architecture: arch.split('-').map(Number), seed: Number(seed), init });
  const copy = randomEquivalentNetwork(net, { seed: 7 }).network;
  const time = (opts) => {
    let best = Infinity, cmp;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      cmp = compareNetworks(net, copy, { fidelitySamples: 0, ...opts });
      best = Math.min(best, performance.now() - t0);
    }
    return { best, cmp };
  };
  const off = time({ unusedSamples: 0 }), on = time({}), exact = time({ milp });
  const proved = exact.cmp.layers.reduce((s, l) => s + l.unused.filter((u) => u.proved).length, 0);
  console.log(`| ${arch} ${init} ${seed} | ${off.best.toFixed(0)} | ${on.best.toFixed(0)} | ${on.cmp.unusedWeights} | ${on.cmp.bits.toFixed(1)} | ${exact.best.toFixed(0)} | ${exact.cmp.unusedWeights} (${proved}) | ${exact.cmp.bits.toFixed(1)} |`);
}
