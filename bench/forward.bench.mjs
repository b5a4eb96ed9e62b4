// Forward-pass throughput of a 784-128-128-10 network (generateNetwork rk, seed 1), single thread:
// the local forward() of @relurec/network against onnxruntime-node (through OnnxOracle, with
// intraOpNumThreads=1) on float32 and float64 exports, at batch 1 and batch 256.
//
// Run from the repo root after building:  npx tsc -b packages/onnx && node bench/forward.bench.mjs
// Options: --seconds S (one measurement, default 2), --warmup S (default 0.5), --rounds N (default 3).
// Each case is measured once per round, rounds interleaved, and the median is reported with the range:
// this shared 2-core VM shows up to 2x run-to-run swings from neighbours, and the median of
// interleaved rounds is far steadier than any single run.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { forward, generateNetwork } from '../packages/network/dist/index.js';
import { exportOnnx, openOnnxOracle } from '../packages/onnx/dist/index.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '2' }, warmup: { type: 'string', default: '0.5' }, rounds: { type: 'string', default: '3' } },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
for (const [name, v] of Object.entries({ seconds, warmup, rounds })) {
  if (!(v > 0)) throw new RangeError(`--${name} must be a positive number, got ${values[name]}`);
}
const ARCH = [784, 128, 128, 10];
const BATCHES = [1, 256];

const net = generateNetwork({ architecture: ARCH, seed: 1, init: 'rk' });
const n0 = ARCH[0];
// A fixed pool of input rows; each call takes the next `batch` rows so no call repeats the previous one's data.
const POOL_ROWS = 4096;
const pool = new Float64Array(POOL_ROWS * n0);
for (let k = 0; k < pool.length; k++) pool[k] = Math.sin(1.618 * k + 0.7) * 2;

/** A fixed-duration loop over `fn(inputs, batch)`, each call on the next rows of the pool. */
function makeRunner(fn, batch) {
  let offset = 0;
  let sink = 0;
  const next = () => {
    if (offset + batch > POOL_ROWS) offset = 0;
    const x = pool.subarray(offset * n0, (offset + batch) * n0);
    offset += batch;
    return x;
  };
  /** Runs for `duration` seconds; returns rows per second and microseconds per call. */
  return async (duration) => {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < duration * 1000) {
      const y = await fn(next(), batch);
      sink += y[0];
      calls++;
      now = performance.now();
    }
    if (!Number.isFinite(sink)) throw new Error('non-finite output');
    const ms = now - start;
    return { rowsPerSecond: (calls * batch * 1000) / ms, usPerCall: (ms * 1000) / calls };
  };
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (v) => Math.round(v).toLocaleString('en-US');

const ort32 = await openOnnxOracle(exportOnnx(net, { dtype: 'float32' }), { intraOpNumThreads: 1 });
const ort64 = await openOnnxOracle(exportOnnx(net, { dtype: 'float64' }), { intraOpNumThreads: 1 });
const cases = [
  ['local forward() (float64)', (x, rows) => forward(net, x, rows)],
  ['onnxruntime float32 (OnnxOracle)', (x, rows) => ort32.query(x, rows)],
  ['onnxruntime float64 (OnnxOracle)', (x, rows) => ort64.query(x, rows)],
];

console.log(`# ${ARCH.join('-')} rk seed 1; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.versions.node}, ` +
  `load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; warmup ${warmup} s, ${rounds} rounds of ${seconds} s per case`);
const runs = [];
for (const [name, fn] of cases) {
  for (const batch of BATCHES) {
    const run = makeRunner(fn, batch);
    await run(warmup);
    runs.push({ name, batch, run, results: [] });
  }
}
for (let round = 0; round < rounds; round++) {
  for (const r of runs) r.results.push(await r.run(seconds));
}
console.log('| implementation | batch | rows/s (median) | range over rounds | µs per call (median) |');
console.log('|---|---:|---:|---:|---:|');
for (const { name, batch, results } of runs) {
  const rps = results.map((x) => x.rowsPerSecond);
  console.log(`| ${name} | ${batch} | ${fmt(median(rps))} | ${fmt(Math.min(...rps))} – ${fmt(Math.max(...rps))} | ${median(results.map((x) => x.usPerCall)).toFixed(1)} |`);
}
console.log(`# load average after: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
await ort32.close();
await ort64.close();
