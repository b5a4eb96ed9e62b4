import { denseLayer, type DenseLayer, type ReluNetwork } from '@relurec/network';
import type { LayerGradient } from '../train/LayerGradient.js';

/**
 * Preallocated buffers for forward and backward passes over batches of at most `capacity` rows.
 * Training is a hand-written hot loop over Float64Array (no autodiff or tensor dependency): every
 * buffer is allocated once per run and reused by every step.
 */
export interface Workspace {
  readonly capacity: number;
  /** Gathered batch inputs, capacity x inputDim. */
  readonly batch: Float64Array;
  readonly batchLabels: Int32Array;
  /** acts[l] is the output of layer l, capacity x outDim: post-ReLU for hidden layers, logits for the last. */
  readonly acts: Float64Array[];
  /** deltas[l] is d loss / d (pre-activation of layer l), capacity x outDim. */
  readonly deltas: Float64Array[];
  /** transposed[l] holds W_l^T (inDim x outDim) with zero biases, refreshed by every backward pass. */
  readonly transposed: DenseLayer[];
}

export function createWorkspace(net: ReluNetwork, capacity: number): Workspace {
  return {
    capacity,
    batch: new Float64Array(capacity * net.layers[0].inDim),
    batchLabels: new Int32Array(capacity),
    acts: net.layers.map((l) => new Float64Array(capacity * l.outDim)),
    deltas: net.layers.map((l) => new Float64Array(capacity * l.outDim)),
    transposed: net.layers.map((l) => denseLayer(l.outDim, l.inDim)),
  };
}

export function zeroGradients(net: ReluNetwork): LayerGradient[] {
  return net.layers.map((l) => ({ weights: new Float64Array(l.weights.length), biases: new Float64Array(l.outDim) }));
}
