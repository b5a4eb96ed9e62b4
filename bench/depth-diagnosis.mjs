// Where a deep recovery goes wrong, layer by layer: one target recovered in this process (inline
// dispatch, the generated network as the black box; its weights reach only the judge), the run's
// log streamed to a file as it goes, and the judge's per-layer verdict at the end (matched, missing,
// extra neurons, and each unmatched true neuron's nearest recovered one with the error). For an
// unmatched pair in a hidden layer it also prints where the two rows differ most, which inputs of the
// true neuron are never on together with it in 600000 inputs of the truth at 1-300 domain scales (a
// weight from such an input acts nowhere: no query shows it), and the pair's error without them.
// Sampling only: the judge also searches each such pair by ascent and compares what it finds used.
//
//   pnpm build && node bench/depth-diagnosis.mjs --arch 10-20-20-20-1 [--init rk|carlini|trained] [--seed 1] [--plan-width 1] [--log FILE] [--stacks PREFIX] [--save PREFIX]
//
// --save PREFIX writes the truth and the recovered network to PREFIX-truth.json and
// PREFIX-recovered.json (relurec's model format: `relurec compare` judges them again).
//
// --stacks PREFIX writes every sign stack that does not close to PREFIX-<k>.json (the layers so far,
// the layer below them, the unsigned rows): the form of packages/recovery/test/fixtures/deeperStacks.json.
import { parseArgs } from 'node:util';
import { appendFileSync, writeFileSync } from 'node:fs';
import { canonicalize, forward, generateNetwork, parameterCount, saveNetwork } from '../packages/network/dist/index.js';
import { compareNetworks } from '../packages/judge/dist/index.js';
import { makeMemorisationTask, trainNetwork } from '../packages/train/dist/index.js';
import { createInlineDispatch, recoverWithDispatch } from '../packages/recovery/dist/index.js';

const { values } = parseArgs({ options: {
  arch: { type: 'string', default: '10-20-20-20-1' }, init: { type: 'string', default: 'rk' }, seed: { type: 'string', default: '1' },
  'plan-width': { type: 'string', default: '1' }, log: { type: 'string' }, stacks: { type: 'string' }, save: { type: 'string' },
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
if (values.save) await Promise.all([saveNetwork(`${values.save}-truth.json`, net), saveNetwork(`${values.save}-recovered.json`, res.network)]);
const cmp = compareNetworks(net, res.network, { fidelitySamples: 20000 });
console.log(`${values.arch} ${values.init} ${values.seed}: found ${res.architecture.join('-')}, complete ${res.complete}, ${res.queries} queries (${(res.queries / parameterCount(net)).toFixed(1)} q/param), ${cmp.bits.toFixed(1)} bits, fidelity ${cmp.fidelity.relativeError.toExponential(1)}, ${seconds.toFixed(1)} s (log: ${logFile})`);
for (const l of cmp.layers) {
  const rejected = l.rejected.map((r) => `true ${r.truth} ~ recovered ${r.recovered} (${r.error.toExponential(1)})`).join(', ');
  const signs = res.layers[l.layer - 1]?.signs;
  const paired = new Set([...l.pairs.map((q) => q.truth), ...l.rejected.map((q) => q.truth)]);
  const worst = [...l.pairs].sort((a, b) => b.error - a.error).slice(0, 2).filter((q) => q.error > 2 ** -36);
  const lost = Array.from({ length: l.trueWidth }, (_, t) => t).filter((t) => !paired.has(t));
  const inert = l.rejected.length > 0 && l.layer > 1 && l.layer <= cmp.layers.length - 1 ? inertExplanations(l, cmp.layers[l.layer - 2]) : [];
  console.log(`  layer ${l.layer}: true ${l.trueWidth}, recovered ${l.recoveredWidth}, matched ${l.matched}, missing ${l.missing}, extra ${l.extra} (${l.signFlipped} sign-flipped), ${l.bits.toFixed(1)} bits${l.unused.length > 0 ? ` (${l.unused.length} unused weights left out: ${l.unused.map((u) => `true ${u.truth} <- ${u.trueInput}`).join(', ')})` : ''}${signs ? `, signs ${signs.method} margin ${signs.margin.toExponential(1)} residual ${signs.residual.toExponential(1)}` : ''}${worst.length > 0 ? `; least exact: ${worst.map((q) => `true ${q.truth} = recovered ${q.recovered} (${q.error.toExponential(1)})`).join(', ')}` : ''}${lost.length > 0 ? `; true neurons with no partner: ${lost.join(', ')}` : ''}${rejected ? `; unmatched: ${rejected}` : ''}`);
  for (const line of inert) console.log(`    ${line}`);
}
if (res.missing.length > 0) console.log(`  missing: ${res.missing.join(' | ')}`);
if (res.warnings.length > 0) console.log(`  warnings: ${res.warnings.join(' | ')}`);

/**
 * An unmatched pair whose rows differ in a weight from an input the true neuron is never active
 * together with (no query can show such a weight; the recovery warns "acts nowhere the search
 * reached"): the columns where they differ most, which of the true neuron's inputs are never jointly
 * active with it on 100000 N(0, s^2 I) inputs at each s in 1, 3, 10, 30, 100, 300 (in the truth), and
 * the pair's error with those columns left out (both rows renormalised on the rest).
 */
function inertExplanations(layer, below) {
  const t = canonicalize(net), r = canonicalize(res.network), k = layer.layer - 1;
  const T = t.layers[k], R = r.layers[k], n = T.inDim;
  const partner = new Map(below.pairs.map((q) => [q.truth, q.recovered]));
  const never = jointlyActiveNever(t, k, new Set(layer.rejected.map((q) => q.truth)));
  return layer.rejected.map((q) => {
    const cols = Array.from({ length: n }, (_, j) => j).filter((j) => partner.has(j));
    const tw = (j) => T.weights[q.truth * n + j], rw = (j) => R.weights[q.recovered * R.inDim + partner.get(j)];
    const worst = [...cols].sort((a, b) => Math.abs(tw(b) - rw(b)) - Math.abs(tw(a) - rw(a))).slice(0, 2);
    const off = never.get(q.truth);
    const keep = cols.filter((j) => !off.has(j));
    const nt = Math.hypot(...keep.map(tw)), nr = Math.hypot(...keep.map(rw));
    const rest = Math.max(Math.abs(T.biases[q.truth] / nt - R.biases[q.recovered] / nr), ...keep.map((j) => Math.abs(tw(j) / nt - rw(j) / nr)));
    return `true ${q.truth} ~ recovered ${q.recovered}: differs most from true inputs ${worst.map((j) => `${j} (${(rw(j) - tw(j)).toExponential(1)})`).join(', ')}; inputs never on together with it in 600000 sampled truth inputs at 1-300 domain scales (no ascent, unlike the judge): ${off.size > 0 ? [...off].join(', ') : 'none'}${off.size > 0 ? `; without them ${rest.toExponential(1)}${partner.size < n ? ` (over the ${cols.length} matched inputs)` : ''}` : ''}`;
  });
}

/** For each true neuron z of hidden layer k in `which`: its inputs (layer-k-1 neurons) never on together with it. */
function jointlyActiveNever(t, k, which) {
  const seen = new Map([...which].map((z) => [z, new Set()]));
  const n0 = t.layers[0].inDim;
  let s = 0x9e3779b9;
  const gauss = () => {
    // xorshift + Box-Muller: the bench's own stream, not the recovery's.
    const u = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return ((s >>> 0) + 0.5) / 4294967296; };
    return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  };
  for (const scale of [1, 3, 10, 30, 100, 300]) {
    for (let q = 0; q < 100000; q++) {
      let h = Float64Array.from({ length: n0 }, () => scale * gauss());
      let prev = h;
      for (let l = 0; l <= k; l++) {
        const L = t.layers[l], z = new Float64Array(L.outDim);
        for (let o = 0; o < L.outDim; o++) {
          let v = L.biases[o];
          for (let i = 0; i < L.inDim; i++) v += L.weights[o * L.inDim + i] * h[i];
          z[o] = v > 0 ? v : 0;
        }
        prev = h;
        h = z;
      }
      for (const [zi, set] of seen) if (h[zi] > 0) for (let i = 0; i < prev.length; i++) if (prev[i] > 0) set.add(i);
    }
  }
  return new Map([...seen].map(([zi, set]) => [zi, new Set(Array.from({ length: t.layers[k].inDim }, (_, i) => i).filter((i) => !set.has(i)))]));
}
