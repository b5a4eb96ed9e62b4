import type { Workspace } from './Workspace.js';

/**
 * Softmax cross-entropy of the logits in ws.acts[last] against `labels[0..rows)`.
 * Writes scale * (softmax - onehot) into ws.deltas[last] when `scale` is given.
 * Returns the summed loss (nats) and the number of rows whose argmax (first on ties) is the label.
 */
export function softmaxCrossEntropy(
  ws: Workspace,
  labels: Int32Array,
  rows: number,
  classes: number,
  scale?: number,
): { lossSum: number; correct: number } {
  const z = ws.acts[ws.acts.length - 1];
  const d = ws.deltas[ws.deltas.length - 1];
  let lossSum = 0, correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = z[o], arg = 0;
    for (let k = 1; k < classes; k++) {
      if (z[o + k] > max) {
        max = z[o + k];
        arg = k;
      }
    }
    // Subtracting the max keeps every exponent <= 0: no overflow, and at least one term is exactly 1.
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(z[o + k] - max);
    const y = labels[r];
    lossSum += max + Math.log(sum) - z[o + y];
    if (arg === y) correct++;
    if (scale !== undefined) {
      const s = scale / sum;
      for (let k = 0; k < classes; k++) d[o + k] = Math.exp(z[o + k] - max) * s;
      d[o + y] -= scale;
    }
  }
  return { lossSum, correct };
}
