// The plan's own speedup against worker count for a latency-bound black box (issue 5), free of the
// machine's load: the recovery plan runs in this process (recoverWithDispatch) on a dispatch that
// counts each task's oracle round trips and replays them in virtual time. Every round trip takes
// --latency ms and nothing else costs time (no CPU, no messaging); tasks queue FIFO onto W workers,
// a phase ends with its last task, and the plan issues its next phase when the phase it awaits
// ends (trace phases overlap: a window). So the figures are the ceiling a real run approaches when
// the black box's latency dominates; the tasks, outputs and queries are those of a real run.
//
//   pnpm build && node bench/plan.bench.mjs --arch 10-20-20-1 --plan-width 8 [--trace-wave N] [--workers 1,2,4,8] [--timeline W]
import { parseArgs } from 'node:util';
import { forward, generateNetwork, parameterCount } from '../packages/network/dist/index.js';
import { collectPhase, recoverWithDispatch, taskId, taskSeed } from '../packages/recovery/dist/index.js';
import { runTask } from '../packages/recovery/dist/tasks/runTask.js';

const { values } = parseArgs({ options: {
  arch: { type: 'string', default: '10-20-20-1' }, init: { type: 'string', default: 'rk' }, seed: { type: 'string', default: '1' },
  latency: { type: 'string', default: '5' }, workers: { type: 'string', default: '1,2,4,8' },
  'plan-width': { type: 'string', default: '1' }, 'trace-wave': { type: 'string' },
  // Prints every phase of the run on this many workers: issue and end (virtual ms), tasks, round trips.
  timeline: { type: 'string' },
  // Layer-k options (RecoveryOptions.deeper) as JSON, for experiments: '{"trace":{"stallLimit":8}}'.
  deeper: { type: 'string' },
} });
const net = generateNetwork({ architecture: values.arch.split('-').map(Number), seed: Number(values.seed), init: values.init });
const dims = { inputDim: net.layers[0].inDim, outputDim: net.layers.at(-1).outDim };
const latency = Number(values.latency);
const options = { seed: 1, planWidth: Number(values['plan-width']), ...(values['trace-wave'] ? { traceWave: Number(values['trace-wave']) } : {}), ...(values.deeper ? { deeper: JSON.parse(values.deeper) } : {}) };
const tick = () => new Promise((r) => setImmediate(r));

/** One recovery on W virtual workers: its virtual wall time, round trips and result. */
async function simulate(workers) {
  let now = 0, phases = 0, queries = 0, rounds = 0, running = 0, done = false, scheduled = 0;
  const free = new Array(workers).fill(0);
  const issued = [], waiting = [];
  const dispatch = {
    get queries() { return queries; },
    async run(name, tasks) {
      const p = ++phases, rec = { name, issue: now, end: now, counts: undefined };
      issued.push(rec);
      running++;
      const counts = tasks.map(() => 0);
      const results = await Promise.all(tasks.map((t, i) => runTask(t.kind, t.input, taskSeed(options.seed, taskId(p, i)), async (x, rows) => {
        counts[i]++;
        await tick();
        return forward(net, x, rows);
      })));
      rec.counts = counts;
      rounds += counts.reduce((a, b) => a + b, 0);
      running--;
      return new Promise((resolve) => waiting.push(Object.assign(rec, { resolve: () => resolve(collectPhase(p, tasks, results, (q) => (queries += q))) })));
    },
  };
  // Virtual clock: once every issued task has run (really), schedule the finished phases in issue
  // order, then deliver the phase that ends first and let the plan react.
  const clock = (async () => {
    while (!done) {
      for (let k = 0; k < 3; k++) await tick();
      if (running > 0 || done) continue;
      while (scheduled < issued.length && issued[scheduled].counts) {
        const rec = issued[scheduled++];
        for (const c of rec.counts) {
          const w = free.indexOf(Math.min(...free));
          free[w] = Math.max(rec.issue, free[w]) + c * latency;
          rec.end = Math.max(rec.end, free[w]);
        }
      }
      const ready = waiting.filter((r) => issued.indexOf(r) < scheduled);
      if (ready.length === 0) continue;
      const next = ready.reduce((a, b) => (b.end < a.end ? b : a));
      waiting.splice(waiting.indexOf(next), 1);
      now = Math.max(now, next.end);
      next.resolve();
    }
  })();
  const result = await recoverWithDispatch(dispatch, dims, options);
  done = true;
  await clock;
  return { seconds: now / 1000, phases, rounds, result, issued };
}

const wave = options.traceWave ?? options.planWidth;
console.log(`target ${values.arch} (${values.init}, seed ${values.seed}, ${parameterCount(net)} parameters), latency ${latency} ms per round trip, plan width ${options.planWidth}, trace wave ${wave}${wave > 1 ? ` (${3 * wave} at layer 2, its seeds clustered by neuron)` : ''}`);
console.log('| workers | virtual seconds | speedup | efficiency | round trips | phases | queries | q/param | found | complete |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
let base;
for (const w of values.workers.split(',').map(Number)) {
  const r = await simulate(w);
  base ??= r.seconds;
  const s = base / r.seconds;
  console.log(`| ${w} | ${r.seconds.toFixed(2)} | ${s.toFixed(2)} | ${(s / w).toFixed(2)} | ${r.rounds} | ${r.phases} | ${r.result.queries} | ${(r.result.queries / parameterCount(net)).toFixed(1)} | ${r.result.architecture.join('-')} | ${r.result.complete ? 'yes' : 'no'} |`);
}

if (values.timeline) {
  const r = await simulate(Number(values.timeline));
  console.log(`\nphases on ${values.timeline} workers (virtual ms; round trips: longest task / all tasks)`);
  console.log('| phase | name | issue | end | tasks | longest | all |');
  console.log('|---:|---|---:|---:|---:|---:|---:|');
  r.issued.forEach((p, i) => console.log(`| ${i + 1} | ${p.name} | ${p.issue.toFixed(0)} | ${p.end.toFixed(0)} | ${p.counts.length} | ${Math.max(...p.counts)} | ${p.counts.reduce((a, b) => a + b, 0)} |`));
}
