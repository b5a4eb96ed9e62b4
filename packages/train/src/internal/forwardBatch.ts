import { affine, type ReluNetwork } from '@relurec/network';
import type { Workspace } from './Workspace.js';

/** Forward pass of `rows` rows of `x` (row-major, rows x inputDim) into ws.acts. */
export function forwardBatch(net: ReluNetwork, ws: Workspace, x: Float64Array, rows: number): void {
  const last = net.layers.length - 1;
  let a = x;
  for (let l = 0; l <= last; l++) {
    affine(net.layers[l], a, rows, l < last, ws.acts[l]);
    a = ws.acts[l];
  }
}
