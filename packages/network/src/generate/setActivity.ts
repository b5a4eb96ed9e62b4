import { createRng } from '@relurec/random';
import { cloneNetwork, type ReluNetwork } from '../format/ReluNetwork.js';
import { preActivations } from '../forward/forward.js';

export interface ActivityTarget {
  /** Hidden layer, 1-based (1 = the first hidden layer). */
  layer: number;
  /** Neuron of that layer, 0-based. */
  neuron: number;
  /** Fraction of N(0, domainScale^2 I) inputs on which it is to be active, in (0, 1). */
  fraction: number;
}

export interface SetActivityOptions {
  /** Inputs drawn to place the biases. Default 200000. */
  samples?: number;
  /** Seed of those inputs. Default 1. */
  seed?: number;
  /** Inputs ~ N(0, domainScale^2 I). Default 1. */
  domainScale?: number;
}

/**
 * A copy of `net` in which each target neuron's bias is moved so that it is active on the given
 * fraction of N(0, I) inputs (the empirical quantile of its pre-activation over `samples` draws):
 * constructed rare neurons (a narrow cone, fraction 1e-3) and almost-always-active ones (0.999),
 * the cases ALGORITHM.md section 7 says random sampling misses. Targets are applied layer by layer,
 * so a deeper target sees the shifted layers below it. Only biases change.
 */
export function setActivity(net: ReluNetwork, targets: readonly ActivityTarget[], options: SetActivityOptions = {}): ReluNetwork {
  const hidden = net.layers.length - 1;
  const rows = options.samples ?? 200_000, scale = options.domainScale ?? 1;
  if (!Number.isInteger(rows) || rows < 100) throw new RangeError(`options.samples must be an integer >= 100, got ${options.samples}`);
  for (const [i, t] of targets.entries()) {
    if (!Number.isInteger(t.layer) || t.layer < 1 || t.layer > hidden) throw new RangeError(`targets[${i}].layer must be a hidden layer, 1..${hidden}, got ${t.layer}`);
    const width = net.layers[t.layer - 1].outDim;
    if (!Number.isInteger(t.neuron) || t.neuron < 0 || t.neuron >= width) throw new RangeError(`targets[${i}].neuron must be in 0..${width - 1} (layer ${t.layer} has ${width} neurons), got ${t.neuron}`);
    if (!(t.fraction > 0 && t.fraction < 1)) throw new RangeError(`targets[${i}].fraction must be in (0, 1), got ${t.fraction}`);
  }
  const out = cloneNetwork(net);
  const n0 = net.layers[0].inDim;
  const rng = createRng(options.seed ?? 1);
  const X = new Float64Array(rows * n0);
  for (let i = 0; i < X.length; i++) X[i] = scale * rng.nextGaussian();
  for (let layer = 1; layer <= hidden; layer++) {
    const here = targets.filter((t) => t.layer === layer);
    if (here.length === 0) continue;
    const z = preActivations({ ...out, layers: out.layers.slice(0, layer) }, X, rows)[layer - 1];
    const width = out.layers[layer - 1].outDim;
    for (const t of here) {
      const col = Float64Array.from({ length: rows }, (_, r) => z[r * width + t.neuron]).sort();
      // Active where z + shift > 0: shift = -(the (1 - fraction) quantile).
      const q = col[Math.min(rows - 1, Math.floor((1 - t.fraction) * rows))];
      (out.layers[layer - 1].biases as Float64Array)[t.neuron] -= q;
    }
  }
  return out;
}
