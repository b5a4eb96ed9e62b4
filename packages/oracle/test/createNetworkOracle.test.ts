import t from 'tap';
import { denseLayer, forward, type ReluNetwork } from '@relurec/network';
import { OracleClosedError, createNetworkOracle } from '../src/index.js';

// A 2-2-1 network small enough to evaluate by hand:
//   h = relu([[1, -1], [2, 1]] x + [0, -1]),  y = [1, -2] h + 0.5
function handNetwork(): ReluNetwork {
  return {
    name: 'hand-2-2-1',
    meta: {},
    layers: [
      denseLayer(2, 2, Float64Array.of(1, -1, 2, 1), Float64Array.of(0, -1)),
      denseLayer(2, 1, Float64Array.of(1, -2), Float64Array.of(0.5)),
    ],
  };
}

t.test('network oracle - answers a hand-computed 2-2-1 network exactly', async (t) => {
  const oracle = createNetworkOracle(handNetwork());
  t.equal(oracle.inputDim, 2);
  t.equal(oracle.outputDim, 1);
  // By hand (all values exact in float64):
  //   (1, 0):   h = relu(1, 1)   = (1, 1) -> 1 - 2 + 0.5 = -0.5
  //   (0, 1):   h = relu(-1, 0)  = (0, 0) -> 0.5
  //   (2, 1):   h = relu(1, 4)   = (1, 4) -> 1 - 8 + 0.5 = -6.5
  //   (-1, -1): h = relu(0, -4)  = (0, 0) -> 0.5
  //   (3, 1):   h = relu(2, 6)   = (2, 6) -> 2 - 12 + 0.5 = -9.5
  const out = await oracle.query(Float64Array.of(1, 0, 0, 1, 2, 1, -1, -1, 3, 1), 5);
  t.ok(out instanceof Float64Array);
  t.same(Array.from(out), [-0.5, 0.5, -6.5, 0.5, -9.5]);
  t.same(Array.from(await oracle.query(new Float64Array(0), 0)), [], 'an empty batch is allowed');
});

t.test('network oracle - matches forward() and ignores later edits of the network', async (t) => {
  const net = handNetwork();
  const oracle = createNetworkOracle(net);
  const x = Float64Array.of(0.25, -0.75, 1.5, 0.125);
  const expected = forward(net, x, 2);
  (net.layers[1].biases as Float64Array)[0] = 100;
  t.same(Array.from(await oracle.query(x, 2)), Array.from(expected), 'the box was copied at creation');
  t.notOk(JSON.stringify(Object.keys(oracle)).includes('layers'), 'the weights are not reachable through the oracle');
});

t.test('network oracle - rejects malformed batches naming rows and inputDim', async (t) => {
  const oracle = createNetworkOracle(handNetwork());
  await t.rejects(oracle.query(new Float64Array(3), 2), {
    name: 'RangeError',
    message: 'inputs has 3 values, expected rows (2) x inputDim (2) = 4',
  });
  await t.rejects(oracle.query(new Float64Array(4), 1.5), { name: 'RangeError', message: /rows must be a non-negative integer/ });
  await t.rejects(oracle.query(Float64Array.of(1, NaN), 1), { name: 'RangeError', message: /row 0 column 1 is NaN/ });
  await t.rejects(oracle.query([1, 2] as unknown as Float64Array, 1), { name: 'TypeError', message: /Float64Array/ });
  t.throws(() => createNetworkOracle({ name: 'x', meta: {}, layers: [] }), TypeError);
});

t.test('network oracle - refuses queries after close, close twice is safe', async (t) => {
  const oracle = createNetworkOracle(handNetwork());
  await oracle.close();
  await oracle.close();
  await t.rejects(oracle.query(Float64Array.of(1, 0), 1), OracleClosedError);
});
