import type { DenseLayer } from '@relurec/network';
import { localValues } from '../known/localState.js';

/**
 * The unsigned output form's features (ALGORITHM.md section 5), one row per input:
 * [ReLU(zeta^L), h^(L-1), 1], row-major, `cols` = n_L + n_(L-1) + 1. Exact for any signs of layer L
 * (ReLU(-t) = ReLU(t) - t); `known` holds layers 1..L, L >= 2.
 */
export function unsignedFeatures(known: readonly DenseLayer[], xs: readonly Float64Array[]): { F: Float64Array; cols: number } {
  const L = known.length, nL = known[L - 1].outDim, cols = nL + known[L - 1].inDim + 1;
  const F = new Float64Array(xs.length * cols);
  xs.forEach((x, r) => {
    const s = localValues(known, x);
    F.set(s.activations[L - 1], r * cols);
    F.set(s.activations[L - 2], r * cols + nL);
    F[r * cols + cols - 1] = 1;
  });
  return { F, cols };
}
