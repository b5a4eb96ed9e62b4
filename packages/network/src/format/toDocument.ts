import { RELU_NET_FORMAT, RELU_NET_VERSION } from './parseNetwork.js';
import type { ReluNetwork } from './ReluNetwork.js';

/** The relu-net v1 JSON document of a network (numbers keep full float64 precision through JSON). */
export function toDocument(net: ReluNetwork): {
  format: string;
  version: number;
  name: string;
  meta: Record<string, unknown>;
  layers: { weights: number[][]; biases: number[] }[];
} {
  return {
    format: RELU_NET_FORMAT,
    version: RELU_NET_VERSION,
    name: net.name,
    meta: net.meta,
    layers: net.layers.map((l) => {
      const weights: number[][] = [];
      for (let i = 0; i < l.outDim; i++) weights.push(Array.from(l.weights.subarray(i * l.inDim, (i + 1) * l.inDim)));
      return { weights, biases: Array.from(l.biases) };
    }),
  };
}
