// The recovery's hottest query-free function: localState (pre-activations and their input gradients
// through the known layers at a point), and the allocation it is made of. Microseconds per call on
// the first three layers of 10-15-15-15-15-1 (rk, seed 1), 1000 points in [-1, 1]^10.
//
//   pnpm build && node bench/local-state.bench.mjs
import { generateNetwork } from '../packages/network/dist/index.js';
import { localState } from '../packages/recovery/dist/known/localState.js';

const net = generateNetwork({ architecture: [10, 15, 15, 15, 15, 1], seed: 1, init: 'rk' });
const layers = net.layers.slice(0, 3);
let state = 1;
const uniform = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 2 - 1;
const points = Array.from({ length: 1000 }, () => Float64Array.from({ length: 10 }, uniform));
let sink = 0;
const time = (what, rounds, f) => {
  const runs = [];
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const p of points) sink += f(p);
    runs.push(((performance.now() - t0) * 1000) / (rounds * points.length));
  }
  runs.sort((a, b) => a - b);
  console.log(`${what}: median ${runs[2].toFixed(2)} us (min ${runs[0].toFixed(2)}, max ${runs[4].toFixed(2)}) over 5 x ${rounds * points.length} calls`);
};
time('localState, 3 layers of 15 on 10 inputs', 100, (p) => localState(layers, p).zetas[2][0]);
time('new Float64Array(150) (off the V8 heap: more than 8 entries)', 100, (p) => { const a = new Float64Array(150); a[0] = p[0]; return a[0]; });
time('new Float64Array(9) (off the V8 heap)', 100, (p) => { const a = new Float64Array(9); a[0] = p[0]; return a[0]; });
time('new Float64Array(8) (on the V8 heap)', 100, (p) => { const a = new Float64Array(8); a[0] = p[0]; return a[0]; });
if (sink === 42) console.log('');
