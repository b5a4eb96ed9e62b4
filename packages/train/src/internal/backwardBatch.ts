import { affine, type ReluNetwork } from '@relurec/network';
import type { LayerGradient } from '../train/LayerGradient.js';
import type { Workspace } from './Workspace.js';

/**
 * Backpropagates ws.deltas[last] (set by softmaxCrossEntropy) through the network and adds the
 * parameter gradients into `grads`. `x` is the input the forward pass saw. ReLU'(0) is taken as 0.
 */
export function backwardBatch(net: ReluNetwork, ws: Workspace, x: Float64Array, rows: number, grads: LayerGradient[]): void {
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const layer = net.layers[l];
    const a = l === 0 ? x : ws.acts[l - 1];
    accumulateLayerGradient(layer.inDim, layer.outDim, ws.deltas[l], a, rows, grads[l]);
    if (l === 0) break;
    // Delta to the layer below is delta W: the same product as a forward pass through W^T, so it
    // goes through the row-blocked affine kernel with a transposed copy of W (n*m work per batch,
    // against rows*n*m for the product itself).
    const t = ws.transposed[l];
    const { inDim: n, outDim: m, weights: W } = layer;
    const WT = t.weights;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) WT[j * m + i] = W[i * n + j];
    const dp = ws.deltas[l - 1];
    affine(t, ws.deltas[l], rows, false, dp);
    // a is post-ReLU, so a > 0 exactly where the pre-activation is > 0.
    for (let k = 0, end = rows * n; k < end; k++) if (!(a[k] > 0)) dp[k] = 0;
  }
}

/**
 * gW[i, j] += sum_r delta[r, i] a[r, j] and gb[i] += sum_r delta[r, i], four rows at a time so each
 * load and store of gW serves four products.
 */
function accumulateLayerGradient(n: number, m: number, delta: Float64Array, a: Float64Array, rows: number, g: LayerGradient): void {
  const gW = g.weights, gb = g.biases;
  const full = rows - (rows % 4);
  for (let i = 0; i < m; i++) {
    const wi = i * n;
    let bsum = 0;
    for (let r = 0; r < full; r += 4) {
      const d0 = delta[r * m + i], d1 = delta[(r + 1) * m + i], d2 = delta[(r + 2) * m + i], d3 = delta[(r + 3) * m + i];
      bsum += d0 + d1 + d2 + d3;
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      for (let j = 0; j < n; j++) gW[wi + j] += d0 * a[o0 + j] + d1 * a[o1 + j] + d2 * a[o2 + j] + d3 * a[o3 + j];
    }
    for (let r = full; r < rows; r++) {
      const d = delta[r * m + i];
      bsum += d;
      const o = r * n;
      for (let j = 0; j < n; j++) gW[wi + j] += d * a[o + j];
    }
    gb[i] += bsum;
  }
}
