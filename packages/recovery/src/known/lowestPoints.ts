import type { DenseLayer } from '@relurec/network';
import { localState } from './localState.js';
import { ascendInBall } from '@relurec/geometry';

export interface LowestPointsOptions {
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Ball radii searched, in sqrt(n0) domain scales. Default [1, 3]. */
  radii?: number[];
  /** Ascent steps per start. Default 200. */
  steps?: number;
}

/**
 * Query-free inputs where c . h(x) is lowest, h the last known layer's activations: per radius of
 * `radii`, the best of a descent from each start (backtracking, piecewise linear; see ascendInBall)
 * inside the ball. For a neuron of the next layer with row c that is active on every sample (ALGORITHM.md
 * section 7: 'sample at growing scales until their boundaries appear'), its inactive side, if any lies
 * inside the ball, contains these points, whatever its bias (when the descent finds the lowest one:
 * it is local, from the given starts). One point per radius, radii in order.
 */
export function lowestPoints(known: readonly DenseLayer[], row: Float64Array, starts: readonly Float64Array[], options: LowestPointsOptions = {}): { point: Float64Array; value: number }[] {
  const l = known.length - 1, width = known[l].outDim;
  if (row.length !== width) throw new RangeError(`row must have ${width} entries (the last known layer's width), got ${row.length}`);
  const scale = options.domainScale ?? 1, radii = options.radii ?? [1, 3], steps = options.steps ?? 200;
  if (!(scale > 0) || radii.some((r) => !(r > 0)) || !(steps >= 1)) throw new RangeError('options.domainScale, options.radii and options.steps must be positive');
  const n0 = known[0].inDim;
  const value = (x: Float64Array) => {
    const st = localState(known, x), h = st.activations[l], G = st.grads[l];
    let v = 0;
    const g = new Float64Array(n0);
    for (let j = 0; j < width; j++) {
      if (!(h[j] > 0) || row[j] === 0) continue;
      v -= row[j] * h[j];
      for (let i = 0; i < n0; i++) g[i] -= row[j] * G[j * n0 + i];
    }
    return { v, g };
  };
  const out: { point: Float64Array; value: number }[] = [];
  for (const r of radii) {
    const radius = r * Math.sqrt(n0) * scale;
    let best: { x: Float64Array; v: number } | undefined;
    for (const s of starts) {
      const e = ascendInBall({ value, project: (x) => x }, s, radius, steps);
      if (e && (!best || e.v > best.v)) best = e;
    }
    if (best) out.push({ point: best.x, value: -best.v });
  }
  return out;
}
