// A float32 black box: 10-10-1 (rk, seed 1) exported to ONNX as float32 (or float64 with the argument
// float64) and recovered through onnxruntime. Run from the repo root after building:
//   node bench/float32-oracle.bench.mjs [float32|float64]
import { generateNetwork } from '../packages/network/dist/index.js';
import { exportOnnx, openOnnxOracle } from '../packages/onnx/dist/index.js';
import { recoverNetwork } from '../packages/recovery/dist/index.js';
import { compareNetworks } from '../packages/judge/dist/index.js';
const net = generateNetwork({ architecture: [10, 10, 1], seed: 1 });
const oracle = await openOnnxOracle(exportOnnx(net, { dtype: process.argv[2] ?? 'float32' }));
const t0 = Date.now();
const res = await recoverNetwork((x, r) => oracle.query(x, r), { inputDim: 10, outputDim: 1 }, { seed: 1 });
const cmp = compareNetworks(net, res.network, { fidelitySamples: 10000 });
console.log('secs', (Date.now()-t0)/1000, 'queries', res.queries, 'arch', res.architecture.join('-'), 'complete', res.complete, 'bits', cmp.bits, 'fid', cmp.fidelity.relativeError, res.warnings.slice(0,3));
await oracle.close();
