import type { DenseLayer } from '@relurec/network';
import { localState } from './localState.js';
import { ascendInBall } from '@relurec/geometry';

/**
 * Query-free: the input in the ball |x| <= radius deepest inside where neuron `z` of the top known
 * layer is on (as its row stands), input `i` of the layer below is on, and the inputs `off` of
 * that layer are off: the best, over `starts`, of an ascent (ascendInBall) of the smallest of the
 * distances to those boundaries within the linear piece (zeta / |grad zeta|, signed so that inside
 * is positive). Undefined when no start reaches a point inside all of them.
 *
 * Why: a weight c_zi that z's boundary never shows acts where both are on; for a neuron active on a
 * narrow cone those inputs are a sliver of a sliver, and chords or steps from z's own points miss
 * them (10-15-15-15-15-1 carlini 1: a layer-2 neuron on 0.04 % of inputs, its two unseen inputs on
 * at 12 % and 9 % of its cone; 315 kinks on the segments placed so, 2 on its boundary, both with the
 * two inputs on). The other unseen inputs kept off: a kink then shows the one weight alone.
 */
export function jointActivePoint(known: readonly DenseLayer[], z: number, i: number, off: readonly number[], starts: readonly Float64Array[], radius: number, steps = 200): { point: Float64Array; depth: number } | undefined {
  const top = known.length - 1;
  if (top < 1) throw new RangeError('jointActivePoint needs at least two known layers (z on the top one, i on the one below)');
  if (!(radius > 0)) throw new RangeError('radius must be positive');
  const n0 = known[0].inDim;
  const terms: { layer: number; neuron: number; sign: number }[] = [{ layer: top, neuron: z, sign: 1 }, { layer: top - 1, neuron: i, sign: 1 }, ...off.map((o) => ({ layer: top - 1, neuron: o, sign: -1 }))];
  const value = (x: Float64Array) => {
    const st = localState(known, x);
    let v = Infinity, g: Float64Array = new Float64Array(n0);
    for (const t of terms) {
      const grad = st.grads[t.layer].subarray(t.neuron * n0, (t.neuron + 1) * n0);
      let gn = 0;
      for (let d = 0; d < n0; d++) gn += grad[d] * grad[d];
      gn = Math.sqrt(gn);
      // A neuron flat in this piece (off below) has no distance here: far outside.
      const dist = gn > 0 ? (t.sign * st.zetas[t.layer][t.neuron]) / gn : -radius;
      if (dist < v) {
        v = dist;
        g = gn > 0 ? Float64Array.from(grad, (w) => (t.sign * w) / gn) : new Float64Array(n0);
      }
    }
    return { v, g };
  };
  let best: { x: Float64Array; v: number } | undefined;
  for (const s of starts) {
    const e = ascendInBall({ value, project: (x) => x }, s, radius, steps);
    if (e && (!best || e.v > best.v)) best = e;
  }
  return best && best.v > 0 ? { point: best.x, depth: best.v } : undefined;
}
