import type { ReluNetwork } from '@relurec/network';
import type { LabelledData } from '../task/LabelledData.js';
import type { LayerGradient } from '../train/LayerGradient.js';
import { backwardBatch } from './backwardBatch.js';
import { forwardBatch } from './forwardBatch.js';
import { softmaxCrossEntropy } from './softmaxCrossEntropy.js';
import type { Workspace } from './Workspace.js';

/**
 * Mean cross-entropy (nats) and accuracy over all of `data`, in chunks of ws.capacity rows read in
 * place. When `grads` is given, adds the gradient of the mean loss into it.
 */
export function evaluateInChunks(
  net: ReluNetwork,
  ws: Workspace,
  data: LabelledData,
  grads?: LayerGradient[],
): { loss: number; accuracy: number } {
  const { rows, inputDim: n0, classes } = data;
  let lossSum = 0, correct = 0;
  for (let start = 0; start < rows; start += ws.capacity) {
    const size = Math.min(ws.capacity, rows - start);
    const x = data.inputs.subarray(start * n0, (start + size) * n0);
    forwardBatch(net, ws, x, size);
    const labels = data.labels.subarray(start, start + size);
    const s = softmaxCrossEntropy(ws, labels, size, classes, grads ? 1 / rows : undefined);
    lossSum += s.lossSum;
    correct += s.correct;
    if (grads) backwardBatch(net, ws, x, size, grads);
  }
  return { loss: lossSum / rows, accuracy: correct / rows };
}
