// Forward-pass throughput of a 784-128-128-10 network (generateNetwork rk, seed 1), single thread:
// the local forward() of @relurec/network against onnxruntime-node (through OnnxOracle, with
// intraOpNumThreads=1) on float32 and float64 exports, at batch 1 and batch 256.
//
// Run from the repo root after building:  npx tsc -b packages/onnx && node bench/forward.bench.mjs
// Options: --seconds S (measurement per case, default 2), --warmup S (default 0.5).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { forward, generateNetwork } from '../packages/network/dist/index.js';
import { exportOnnx, openOnnxOracle } from '../packages/onnx/dist/index.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, warmup: { type: 'string', default: '0.5' } } });
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const ARCH = [784, 128, 128, 10];
const BATCHES = [1, 256];

const net = generateNetwork({ architecture: ARCH, seed: 1, init: 'rk' });
const n0 = ARCH[0];
// A fixed pool of input rows; each call takes the next `batch` rows so no call repeats the previous one's data.
const POOL_ROWS = 4096;
const pool = new Float64Array(POOL_ROWS * n0);
for (let k = 0; k < pool.length; k++) pool[k] = Math.sin(1.618 * k + 0.7) * 2;

/** Calls `fn(inputs, batch)` for `warmup` then `seconds` seconds; returns rows per second and microseconds per call. */
async function measure(fn, batch) {
  let offset = 0;
  let sink = 0;
  const next = () => {
    if (offset + batch > POOL_ROWS) offset = 0;
    const x = pool.subarray(offset * n0, (offset + batch) * n0);
    offset += batch;
    return x;
  };
  const run = async (duration) => {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < duration * 1000) {
      const y = await fn(next(), batch);
      sink += y[0];
      calls++;
      now = performance.now();
    }
    return { calls, ms: now - start };
  };
  await run(warmup);
  const { calls, ms } = await run(seconds);
  if (!Number.isFinite(sink)) throw new Error('non-finite output');
  return { rowsPerSecond: (calls * batch * 1000) / ms, usPerCall: (ms * 1000) / calls, calls };
}

const ort32 = await openOnnxOracle(exportOnnx(net, { dtype: 'float32' }), { intraOpNumThreads: 1 });
const ort64 = await openOnnxOracle(exportOnnx(net, { dtype: 'float64' }), { intraOpNumThreads: 1 });
const cases = [
  ['local forward() (float64)', (x, rows) => forward(net, x, rows)],
  ['onnxruntime float32 (OnnxOracle)', (x, rows) => ort32.query(x, rows)],
  ['onnxruntime float64 (OnnxOracle)', (x, rows) => ort64.query(x, rows)],
];

console.log(`# ${ARCH.join('-')} rk seed 1; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.versions.node}, ` +
  `load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; warmup ${warmup} s, measure ${seconds} s per case`);
console.log('| implementation | batch | rows/s | µs per call |');
console.log('|---|---:|---:|---:|');
for (const [name, fn] of cases) {
  for (const batch of BATCHES) {
    const r = await measure(fn, batch);
    console.log(`| ${name} | ${batch} | ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} | ${r.usPerCall.toFixed(1)} |`);
  }
}
console.log(`# load average after: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
await ort32.close();
await ort64.close();
