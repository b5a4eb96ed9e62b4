// What the exact joint-activity search costs (deepestJointInput, HiGHS in WebAssembly): for pairs of a
// generated network's top hidden layer and the layer below (neuron k with input 3k mod width, k < 8),
// the box |x_d| <= 10 sqrt(n0) (30 domain scales along a diagonal), with the big-M bounds tightened
// by LP relaxations and without. Wall time a pair, and the verdicts.
//
//   pnpm build && node bench/milp.bench.mjs [--cases 10-15-15-15-15-1:rk:2,...] [--pairs 8]
import { parseArgs } from 'node:util';
import { generateNetwork } from '../packages/network/dist/index.js';
import { deepestJointInput, loadMilpSolver } from '../packages/milp/dist/index.js';

const { values } = parseArgs({ options: {
  cases: { type: 'string', default: '10-20-20-1:rk:1,10-20-20-20-1:carlini:1,40-20-10-10-1:rk:1,10-15-15-15-15-1:rk:2,10-15-15-15-15-1:carlini:3,20-30-30-20-1:rk:1' },
  pairs: { type: 'string', default: '8' },
} });
const solver = await loadMilpSolver();
console.log('| network | binaries at most | tightened: median / max ms a pair | not tightened: median / max ms | verdicts (found / none / unknown) |');
console.log('|---|---:|---:|---:|---|');
for (const c of values.cases.split(',')) {
  const [arch, init, seed] = c.split(':');
  const widths = arch.split('-').map(Number);
  const net = generateNetwork({ architecture: widths, seed: Number(seed), init });
  const hidden = net.layers.slice(0, -1);
  const top = hidden.length, below = hidden[top - 2].outDim;
  const halfWidth = 10 * Math.sqrt(widths[0]);
  const run = (tighten) => {
    const ms = [], kinds = { found: 0, none: 0, unknown: 0 };
    for (let k = 0; k < Number(values.pairs); k++) {
      const t0 = performance.now();
      const v = deepestJointInput(solver, hidden, k % hidden[top - 1].outDim, (3 * k) % below, { halfWidth, tighten, timeLimit: 120 });
      ms.push(performance.now() - t0);
      kinds[v.kind]++;
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1], kinds };
  };
  const on = run(true), off = run(false);
  const same = JSON.stringify(on.kinds) === JSON.stringify(off.kinds) ? '' : ` (not tightened: ${off.kinds.found} / ${off.kinds.none} / ${off.kinds.unknown})`;
  console.log(`| ${arch} ${init} ${seed} | ${widths.slice(1, -2).reduce((s, w) => s + w, 0)} | ${on.median.toFixed(0)} / ${on.max.toFixed(0)} | ${off.median.toFixed(0)} / ${off.max.toFixed(0)} | ${on.kinds.found} / ${on.kinds.none} / ${on.kinds.unknown}${same} |`);
}
