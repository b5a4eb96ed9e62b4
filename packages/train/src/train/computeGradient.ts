import type { ReluNetwork } from '@relurec/network';
import type { LabelledData } from '../task/LabelledData.js';
import { checkCompatible } from '../internal/checkCompatible.js';
import { checkData } from '../internal/checkData.js';
import { evaluateInChunks } from '../internal/evaluateInChunks.js';
import { createWorkspace, zeroGradients } from '../internal/Workspace.js';
import type { Evaluation } from './evaluateClassifier.js';
import type { LayerGradient } from './LayerGradient.js';

/** The loss of a network on a labelled set and its gradient. */
export interface GradientResult extends Evaluation {
  /** gradients[l] is d loss / d (layers[l].weights, layers[l].biases), same shapes as the layer. */
  readonly gradients: LayerGradient[];
}

/**
 * Exact gradient of the mean softmax cross-entropy (nats) of `network` over all rows of `data`,
 * by the same hand-written backward pass trainNetwork uses. At a ReLU kink (pre-activation exactly 0)
 * the derivative is taken as 0.
 * @throws RangeError when the data is malformed or its widths do not match the network
 */
export function computeGradient(network: ReluNetwork, data: LabelledData): GradientResult {
  checkData(data, 'data');
  checkCompatible(network, data, 'network', 'data');
  const gradients = zeroGradients(network);
  const { loss, accuracy } = evaluateInChunks(network, createWorkspace(network, Math.min(data.rows, 256)), data, gradients);
  return { loss, accuracy, gradients };
}
