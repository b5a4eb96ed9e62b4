import { affine, type ReluNetwork } from '@relurec/network';
import type { Rng } from '@relurec/random';

/** Input scales (times the domain scale) the unused-input search samples at: out to where only the cones of the network's linear part remain. */
export const UNUSED_SCALES = [1, 3, 10, 30, 100, 300] as const;

/**
 * Per hidden layer (0-based), flags outDim x inDim, row-major: 1 where the neuron is on at some
 * sampled input and its input (a neuron of the layer below) is off at every sampled input where the
 * neuron is on. A weight from such an input moves the neuron at none of them: no query there shows
 * it, and the function there is the same whatever its value (as long as the neuron stays off
 * wherever the input is on). Layer 1 has none (its inputs are never 0), nor has a neuron never on.
 * Inputs: `perScale` from N(0, (s domainScale)^2 I) for each s in UNUSED_SCALES, from `rng`. A
 * sampling verdict: an input on together with the neuron on a smaller fraction of inputs than the
 * samples resolve counts as unused.
 */
export function unusedInputs(net: ReluNetwork, perScale: number, rng: Rng, domainScale: number, batchSize: number): Uint8Array[] {
  const hidden = net.layers.slice(0, -1);
  const together = hidden.map((l) => new Uint8Array(l.outDim * l.inDim));
  const everOn = hidden.map((l) => new Uint8Array(l.outDim));
  const n0 = net.layers[0].inDim;
  for (const s of UNUSED_SCALES) {
    for (let done = 0; done < perScale; ) {
      const rows = Math.min(batchSize, perScale - done);
      const x = rng.gaussianArray(rows * n0);
      for (let k = 0; k < x.length; k++) x[k] *= s * domainScale;
      let below = x;
      hidden.forEach((layer, l) => {
        const h = affine(layer, below, rows, true);
        const { inDim: n, outDim: m } = layer;
        if (l > 0) {
          const on = everOn[l], both = together[l], inputsOn = new Int32Array(n);
          for (let r = 0; r < rows; r++) {
            let k = 0;
            for (let i = 0; i < n; i++) if (below[r * n + i] > 0) inputsOn[k++] = i;
            for (let z = 0; z < m; z++) {
              if (!(h[r * m + z] > 0)) continue;
              on[z] = 1;
              for (let q = 0; q < k; q++) both[z * n + inputsOn[q]] = 1;
            }
          }
        }
        below = h;
      });
      done += rows;
    }
  }
  return hidden.map((layer, l) => {
    const flags = new Uint8Array(layer.outDim * layer.inDim);
    if (l === 0) return flags;
    for (let z = 0; z < layer.outDim; z++) {
      if (!everOn[l][z]) continue;
      for (let i = 0; i < layer.inDim; i++) flags[z * layer.inDim + i] = together[l][z * layer.inDim + i] ? 0 : 1;
    }
    return flags;
  });
}
