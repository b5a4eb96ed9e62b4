import { createRng, type Rng } from '@relurec/random';
import { denseLayer, formatArchitecture, type DenseLayer, type ReluNetwork } from '../format/ReluNetwork.js';

/** Weight initialisations a researcher uses for targets. */
export const Init = {
  /** Rolnick-Kording: weights N(0, 2/fan_in), biases N(0, 1). */
  rk: 'rk',
  /** Carlini et al.: weights N(0, 1)/sqrt(fan_out), zero biases. */
  carlini: 'carlini',
  /** Unit-norm rows; biases put each neuron's boundary at the median of its pre-activation on N(0, I). */
  balanced: 'balanced',
} as const;
export type Init = (typeof Init)[keyof typeof Init];

export interface GenerateOptions {
  /** Widths from input to output, e.g. [10, 20, 20, 1]. */
  architecture: readonly number[];
  /** Seed of the weights. */
  seed: number;
  /** Default 'rk'. */
  init?: Init;
  /** Default derived from architecture, init and seed. */
  name?: string;
  /** Samples used by 'balanced' to place the medians. Default 4096. */
  balanceSamples?: number;
}

/** A random target network. Deterministic in (architecture, init, seed). */
export function generateNetwork(options: GenerateOptions): ReluNetwork {
  const { architecture: arch, seed } = options;
  const init = options.init ?? Init.rk;
  if (!Object.values(Init).includes(init)) throw new RangeError(`options.init must be one of ${Object.values(Init).join(', ')}, got '${init}'`);
  if (arch.length < 2 || arch.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`options.architecture must be at least two positive integer widths, got [${arch.join(', ')}]`);
  }
  const rng = createRng(seed);
  const layers: DenseLayer[] = [];
  for (let l = 1; l < arch.length; l++) {
    const n = arch[l - 1], m = arch[l];
    const layer = denseLayer(n, m);
    const W = layer.weights as Float64Array, b = layer.biases as Float64Array;
    const isOutput = l === arch.length - 1;
    if (init === Init.rk) {
      const sd = Math.sqrt(2 / n);
      for (let k = 0; k < W.length; k++) W[k] = sd * rng.nextGaussian();
      for (let i = 0; i < m; i++) b[i] = rng.nextGaussian();
    } else if (init === Init.carlini) {
      const sd = 1 / Math.sqrt(m);
      for (let k = 0; k < W.length; k++) W[k] = sd * rng.nextGaussian();
    } else {
      for (let i = 0; i < m; i++) {
        const row = W.subarray(i * n, (i + 1) * n);
        row.set(rng.unitVector(n));
      }
      if (isOutput) for (let i = 0; i < m; i++) b[i] = rng.nextGaussian() * 0.1;
    }
    layers.push(layer);
  }
  if (init === Init.balanced) balanceBiases(layers, rng, options.balanceSamples ?? 4096);
  return {
    name: options.name ?? `${formatArchitecture(arch)}-${init}-s${seed}`,
    meta: { generator: 'relurec generate', init, seed, architecture: formatArchitecture(arch) },
    layers,
  };
}

/** Sets each hidden bias so the neuron is active on about half of N(0, I) inputs (layer by layer). */
function balanceBiases(layers: DenseLayer[], rng: Rng, samples: number): void {
  const n0 = layers[0].inDim;
  let x = rng.gaussianArray(samples * n0);
  for (let l = 0; l < layers.length - 1; l++) {
    const { inDim: n, outDim: m, weights: W } = layers[l];
    const b = layers[l].biases as Float64Array;
    const z = new Float64Array(samples * m);
    const col = new Float64Array(samples);
    for (let i = 0; i < m; i++) {
      for (let r = 0; r < samples; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += W[i * n + j] * x[r * n + j];
        col[r] = s;
      }
      const sorted = col.slice().sort();
      b[i] = -sorted[samples >> 1];
      for (let r = 0; r < samples; r++) z[r * m + i] = Math.max(0, col[r] + b[i]);
    }
    x = z;
  }
}
