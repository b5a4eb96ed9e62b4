import type { ReluNetwork } from '@relurec/network';
import type { LabelledData } from '../task/LabelledData.js';
import { checkCompatible } from '../internal/checkCompatible.js';
import { checkData } from '../internal/checkData.js';
import { evaluateInChunks } from '../internal/evaluateInChunks.js';
import { createWorkspace } from '../internal/Workspace.js';

/** How well a network classifies a labelled set. */
export interface Evaluation {
  /** Mean softmax cross-entropy over the rows, in nats. */
  readonly loss: number;
  /** Fraction of rows whose largest logit (first on ties) is the label, in [0, 1]. */
  readonly accuracy: number;
}

/**
 * Mean softmax cross-entropy and accuracy of `network` on `data` (read-only; neither is modified).
 * @throws RangeError when the data is malformed or its widths do not match the network
 */
export function evaluateClassifier(network: ReluNetwork, data: LabelledData): Evaluation {
  checkData(data, 'data');
  checkCompatible(network, data, 'network', 'data');
  return evaluateInChunks(network, createWorkspace(network, Math.min(data.rows, 256)), data);
}
