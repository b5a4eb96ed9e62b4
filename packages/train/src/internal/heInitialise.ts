import { denseLayer, type DenseLayer } from '@relurec/network';
import type { Rng } from '@relurec/random';

/** Layers with He weights N(0, 2/fan_in) and biases N(0, biasStd^2). */
export function heInitialise(architecture: readonly number[], biasStd: number, rng: Rng): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let l = 1; l < architecture.length; l++) {
    const n = architecture[l - 1], m = architecture[l];
    const layer = denseLayer(n, m);
    const sd = Math.sqrt(2 / n);
    for (let k = 0; k < layer.weights.length; k++) layer.weights[k] = sd * rng.nextGaussian();
    if (biasStd > 0) for (let i = 0; i < m; i++) layer.biases[i] = biasStd * rng.nextGaussian();
    layers.push(layer);
  }
  return layers;
}
