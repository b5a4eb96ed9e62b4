// Where a deep recovery goes wrong, layer by layer: one target recovered in this process (inline
// dispatch, the generated network as the black box; its weights reach only the judge), the run's
// log streamed to a file as it goes, and the judge's per-layer verdict at the end (matched, missing,
// extra neurons, and each unmatched true neuron's nearest recovered one with the error).
//
//   pnpm build && node bench/depth-diagnosis.mjs --arch 10-20-20-20-1 [--init rk|carlini|trained] [--seed 1] [--plan-width 1] [--log FILE] [--stacks PREFIX]
//
// --stacks PREFIX writes every sign stack that does not close to PREFIX-<k>.json (the layers so far,
// the layer below them, the unsigned rows): the form of packages/recovery/test/fixtures/deeperStacks.json.
import { parseArgs } from 'node:util';
import { appendFileSync, writeFileSync } from 'node:fs';
import { forward, generateNetwork, parameterCount } from '../packages/network/dist/index.js';
import { compareNetworks } from '../packages/judge/dist/index.js';
import { makeMemorisationTask, trainNetwork } from '../packages/train/dist/index.js';
import { createInlineDispatch, recoverWithDispatch } from '../packages/recovery/dist/index.js';

const { values } = parseArgs({ options: {
  arch: { type: 'string', default: '10-20-20-20-1' }, init: { type: 'string', default: 'rk' }, seed: { type: 'string', default: '1' },
  'plan-width': { type: 'string', default: '1' }, log: { type: 'string' }, stacks: { type: 'string' },
} });
// 'trained' as bench/recovery.bench.mjs trains it (a memorisation task, 200 epochs).
const widths = values.arch.split('-').map(Number);
const net = values.init === 'trained'
  ? trainNetwork({ data: makeMemorisationTask({ samples: 1000, inputDim: widths[0], classes: widths.at(-1), seed: Number(values.seed) }), architecture: widths, seed: Number(values.seed), epochs: 200 }).network
  : generateNetwork({ architecture: widths, seed: Number(values.seed), init: values.init });
const logFile = values.log ?? `depth-${values.arch}-${values.init}-${values.seed}.log`;
writeFileSync(logFile, '');
const t0 = Date.now();
const log = (m) => appendFileSync(logFile, `${((Date.now() - t0) / 1000).toFixed(1)} ${m}\n`);
const dispatch = createInlineDispatch(async (x, rows) => forward(net, x, rows), { seed: 1, log });
const plain = (l) => ({ inDim: l.inDim, outDim: l.outDim, weights: Array.from(l.weights), biases: Array.from(l.biases) });
const onOpenStack = values.stacks === undefined ? undefined : (k, layers, rows) => writeFileSync(`${values.stacks}-${k}.json`, JSON.stringify({
  hidden: layers.map(plain), prev: plain(layers.at(-1)), rows: rows.map((r) => ({ c: Array.from(r.c), lambda: Array.from(r.lambda), fixedColumns: r.fixedColumns ?? [], support: r.support })),
}));
const res = await recoverWithDispatch(dispatch, { inputDim: net.layers[0].inDim, outputDim: net.layers.at(-1).outDim }, { seed: 1, log, planWidth: Number(values['plan-width']), onOpenStack });
const seconds = (Date.now() - t0) / 1000;
const cmp = compareNetworks(net, res.network, { fidelitySamples: 20000 });
console.log(`${values.arch} ${values.init} ${values.seed}: found ${res.architecture.join('-')}, complete ${res.complete}, ${res.queries} queries (${(res.queries / parameterCount(net)).toFixed(1)} q/param), ${cmp.bits.toFixed(1)} bits, fidelity ${cmp.fidelity.relativeError.toExponential(1)}, ${seconds.toFixed(1)} s (log: ${logFile})`);
for (const l of cmp.layers) {
  const rejected = l.rejected.map((r) => `true ${r.truth} ~ recovered ${r.recovered} (${r.error.toExponential(1)})`).join(', ');
  const signs = res.layers[l.layer - 1]?.signs;
  const paired = new Set([...l.pairs.map((q) => q.truth), ...l.rejected.map((q) => q.truth)]);
  const worst = [...l.pairs].sort((a, b) => b.error - a.error).slice(0, 2).filter((q) => q.error > 2 ** -36);
  const lost = Array.from({ length: l.trueWidth }, (_, t) => t).filter((t) => !paired.has(t));
  console.log(`  layer ${l.layer}: true ${l.trueWidth}, recovered ${l.recoveredWidth}, matched ${l.matched}, missing ${l.missing}, extra ${l.extra} (${l.signFlipped} sign-flipped), ${l.bits.toFixed(1)} bits${signs ? `, signs ${signs.method} margin ${signs.margin.toExponential(1)} residual ${signs.residual.toExponential(1)}` : ''}${worst.length > 0 ? `; least exact: ${worst.map((q) => `true ${q.truth} = recovered ${q.recovered} (${q.error.toExponential(1)})`).join(', ')}` : ''}${lost.length > 0 ? `; true neurons with no partner: ${lost.join(', ')}` : ''}${rejected ? `; unmatched: ${rejected}` : ''}`);
}
if (res.missing.length > 0) console.log(`  missing: ${res.missing.join(' | ')}`);
if (res.warnings.length > 0) console.log(`  warnings: ${res.warnings.join(' | ')}`);
