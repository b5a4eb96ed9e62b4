import t from 'tap';
import { compareNetworks } from '@relurec/judge';
import { forward, generateNetwork, parameterCount, parseNetwork, type ReluNetwork } from '@relurec/network';
import { recoverNetwork } from '../src/index.js';

const oracleOf = (net: ReluNetwork) => async (x: Float64Array, rows: number) => forward(net, x, rows);
const dims = (net: ReluNetwork) => ({ inputDim: net.layers[0].inDim, outputDim: net.layers[net.layers.length - 1].outDim });

for (const [arch, init, seed] of [
  [[10, 10, 1], 'rk', 1],
  [[10, 20, 1], 'carlini', 2],
  [[6, 8, 3], 'rk', 3],
] as const) {
  t.test(`recover - ${arch.join('-')} ${init} seed ${seed}: exact architecture, >= 36 bits`, async (t) => {
    const net = generateNetwork({ architecture: arch, seed, init });
    const res = await recoverNetwork(oracleOf(net), dims(net), { seed: 1 });
    t.ok(res.complete, `complete (warnings: ${res.warnings.join('; ')})`);
    t.same(res.architecture, arch);
    const cmp = compareNetworks(net, res.network, { fidelitySamples: 5000 });
    t.ok(cmp.architectureMatch);
    t.ok(cmp.bits >= 36, `bits ${cmp.bits}`);
    t.ok(cmp.fidelity!.relativeError <= 1e-9, `fidelity ${cmp.fidelity!.relativeError}`);
    t.ok(res.queries / parameterCount(net) <= 30, `${(res.queries / parameterCount(net)).toFixed(1)} queries per parameter`);
  });
}

t.test('recover - same seed, same network and query count', async (t) => {
  const net = generateNetwork({ architecture: [8, 6, 1], seed: 5 });
  const a = await recoverNetwork(oracleOf(net), dims(net), { seed: 7 });
  const b = await recoverNetwork(oracleOf(net), dims(net), { seed: 7 });
  t.equal(a.queries, b.queries);
  t.same(Array.from(a.network.layers[0].weights), Array.from(b.network.layers[0].weights));
  t.same(Array.from(a.network.layers[1].weights), Array.from(b.network.layers[1].weights));
});

// 2 inputs, 4 hidden: neuron 3 is dead on the whole domain (boundary 1000 away, inactive side facing
// the origin), neuron 4 always active there (a linear term no boundary shows).
const deadAndAlive = (alive: boolean) => parseNetwork({
  format: 'relu-net', version: 1,
  layers: [
    { weights: [[1, 0], [0, 1], [0.6, 0.8], [1, 1], ...(alive ? [[1, -1]] : [])], biases: [0.1, -0.2, 0.3, -1000, ...(alive ? [1000] : [])] },
    { weights: [[1, -1, 0.5, 2, ...(alive ? [0.7] : [])]], biases: [0.05] },
  ],
});

t.test('recover - a dead neuron is not invented; the rest is exact', async (t) => {
  const net = deadAndAlive(false);
  const res = await recoverNetwork(oracleOf(net), dims(net), { seed: 1 });
  t.same(res.architecture, [2, 3, 1], 'three neurons found, the dead one not invented');
  const cmp = compareNetworks(net, res.network, { fidelitySamples: 5000 });
  t.equal(cmp.layers[0].missing, 1);
  t.equal(cmp.layers[0].extra, 0);
  t.ok(cmp.fidelity!.relativeError < 1e-9, 'a neuron dead on the domain changes nothing there');
});

t.test('recover - an always-active neuron is reported, not invented, and the run is incomplete', async (t) => {
  const net = deadAndAlive(true);
  const res = await recoverNetwork(oracleOf(net), dims(net), { seed: 1 });
  t.same(res.architecture, [2, 3, 1]);
  t.equal(res.complete, false);
  t.match(res.warnings.join('\n'), /does not fit|signs/);
});

t.test('recover - an oracle that fails mid-run stops cleanly and keeps what was learned', async (t) => {
  const net = generateNetwork({ architecture: [10, 10, 1], seed: 1 });
  let served = 0;
  const failing = async (x: Float64Array, rows: number) => {
    served += rows;
    if (served > 600) throw new Error('HTTP 503 from the black box');
    return forward(net, x, rows);
  };
  const res = await recoverNetwork(failing, dims(net), { seed: 1 });
  t.equal(res.complete, false);
  t.match(res.warnings.join('\n'), /HTTP 503/);
  t.ok(res.layers[0].width > 0, `kept ${res.layers[0].width} layer-1 neurons found before the failure`);
});

t.test('recover - searches run ahead never query the black box after the run returns', async (t) => {
  const net = generateNetwork({ architecture: [10, 10, 1], seed: 1 });
  let closed = false, lateCalls = 0;
  const oracle = async (x: Float64Array, rows: number) => {
    if (closed) lateCalls++;
    return forward(net, x, rows);
  };
  const res = await recoverNetwork(oracle, dims(net), { seed: 1, firstLayer: { lookahead: 4 } });
  closed = true;
  await new Promise((r) => setTimeout(r, 50));
  t.equal(lateCalls, 0);
  t.ok(res.complete);
});
