import { affine } from './affine.js';
import type { ReluNetwork } from '../format/ReluNetwork.js';

/**
 * Batched forward pass. `inputs` is row-major (rows x inputDim); returns rows x outputDim.
 * @throws RangeError when inputs.length is not rows * inputDim
 */
export function forward(net: ReluNetwork, inputs: Float64Array, rows: number): Float64Array {
  const n0 = net.layers[0].inDim;
  if (inputs.length !== rows * n0) {
    throw new RangeError(`inputs has ${inputs.length} values, expected rows (${rows}) x inputDim (${n0}) = ${rows * n0}`);
  }
  let x = inputs;
  const last = net.layers.length - 1;
  net.layers.forEach((layer, l) => {
    x = affine(layer, x, rows, l < last);
  });
  return x;
}

/** Pre-activations of every layer (hidden and output) for a batch: zetas[l] is rows x n_(l+1). */
export function preActivations(net: ReluNetwork, inputs: Float64Array, rows: number): Float64Array[] {
  const zetas: Float64Array[] = [];
  let x = inputs;
  for (const layer of net.layers) {
    const z = affine(layer, x, rows, false);
    zetas.push(z);
    x = z.map((v) => (v > 0 ? v : 0));
  }
  return zetas;
}
