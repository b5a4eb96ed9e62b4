import type { DenseLayer } from '@relurec/network';
import { localValues } from './localState.js';
import { lowestPoints } from './lowestPoints.js';

export interface DominantPointsOptions {
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Ball radii searched, in sqrt(n0) domain scales. Default [1, 3]. */
  radii?: number[];
  /** Descents per neuron: from the starts where it stands out most. Default 3. */
  perNeuron?: number;
}

/**
 * Query-free inputs where one neuron of the last known layer carries that layer almost alone: for
 * each neuron i, the lowest point in the ball (lowestPoints, per radius) of
 * sum_{k != i} h_k / s_k - h_i / s_i, s_k the root mean square of h_k over the starts where it is on
 * (the layer's rows have arbitrary scales). A neuron of the next layer active on a narrow cone has
 * few positive weights, and is active only where its positive inputs outweigh the rest; a random
 * input rarely lands there (10-15-15-15-15-1 carlini 1: a layer-2 neuron with three small positive
 * weights of 15, active on 0.04 % of N(0, I) inputs, on 1 in 270 random chords), the point where one
 * of them stands alone often does. Neurons on at none of the starts give none.
 */
export function dominantPoints(known: readonly DenseLayer[], starts: readonly Float64Array[], options: DominantPointsOptions = {}): { neuron: number; point: Float64Array }[] {
  const l = known.length - 1, width = known[l].outDim;
  const perNeuron = options.perNeuron ?? 3;
  if (!(perNeuron >= 1)) throw new RangeError('options.perNeuron must be at least 1');
  const h = starts.map((x) => localValues(known, x).activations[l]);
  const scale = new Float64Array(width);
  for (let k = 0; k < width; k++) {
    let s = 0, n = 0;
    for (const a of h) if (a[k] > 0) (s += a[k] * a[k]), n++;
    scale[k] = n > 0 ? Math.sqrt(s / n) : 0;
  }
  const out: { neuron: number; point: Float64Array }[] = [];
  for (let i = 0; i < width; i++) {
    if (!(scale[i] > 0)) continue;
    const row = Float64Array.from(scale, (s, k) => (k === i ? -1 / s : s > 0 ? 1 / s : 0));
    // Starts where i is on (its gradient is zero elsewhere), those where it stands out most first.
    const best = h.map((a, t) => ({ t, v: a[i] > 0 ? a.reduce((acc, hk, k) => acc - row[k] * hk, 0) : -Infinity }))
      .filter((c) => c.v > -Infinity).sort((a, b) => b.v - a.v).slice(0, perNeuron).map((c) => starts[c.t]);
    for (const p of lowestPoints(known, row, best, { domainScale: options.domainScale, radii: options.radii })) out.push({ neuron: i, point: p.point });
  }
  return out;
}
