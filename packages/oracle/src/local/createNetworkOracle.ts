import { cloneNetwork, forward, inputDim, outputDim, type ReluNetwork } from '@relurec/network';
import type { Oracle } from '../Oracle.js';
import { assertQueryInputs } from '../check/assertQueryInputs.js';
import { OracleClosedError } from '../errors/OracleClosedError.js';

/**
 * A local network behind the {@link Oracle} door: answers are `forward(net, inputs, rows)`, bit for bit.
 * The network is copied at creation (later edits to `net` do not change the box) and is not reachable
 * from the returned object, so recovery code handed this oracle cannot read the true weights.
 * It does not count queries; wrap it in `createBudgetedOracle` for that.
 * @throws TypeError when net has no layers
 */
export function createNetworkOracle(net: ReluNetwork): Oracle {
  if (net === null || typeof net !== 'object' || !Array.isArray(net.layers) || net.layers.length === 0) {
    throw new TypeError('net must be a ReluNetwork with at least one layer');
  }
  const target = cloneNetwork(net);
  const n0 = inputDim(target), m = outputDim(target);
  let closed = false;
  return Object.freeze({
    inputDim: n0,
    outputDim: m,
    async query(inputs: Float64Array, rows: number): Promise<Float64Array> {
      if (closed) throw new OracleClosedError();
      assertQueryInputs(inputs, rows, n0);
      return forward(target, inputs, rows);
    },
    async close(): Promise<void> {
      closed = true;
    },
  });
}
