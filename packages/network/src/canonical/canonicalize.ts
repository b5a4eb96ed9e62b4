import { cloneNetwork, type ReluNetwork } from '../format/ReluNetwork.js';

/**
 * The canonical representative under positive scaling: every hidden neuron's incoming row
 * (weights only, not the bias) has unit Euclidean norm, the scale pushed into the next layer's
 * column. A hidden row of norm 0 is left as it is. The function computed is unchanged.
 */
export function canonicalize(net: ReluNetwork): ReluNetwork {
  const out = cloneNetwork(net);
  for (let l = 0; l < out.layers.length - 1; l++) {
    const layer = out.layers[l], next = out.layers[l + 1];
    const W = layer.weights as Float64Array, b = layer.biases as Float64Array, V = next.weights as Float64Array;
    const n = layer.inDim;
    for (let i = 0; i < layer.outDim; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += W[i * n + j] * W[i * n + j];
      const norm = Math.sqrt(s);
      if (norm === 0) continue;
      for (let j = 0; j < n; j++) W[i * n + j] /= norm;
      b[i] /= norm;
      for (let k = 0; k < next.outDim; k++) V[k * next.inDim + i] *= norm;
    }
  }
  return out;
}
