import type { DenseLayer } from '@relurec/network';
import { candidateValue, candidateValueFunction, type Candidate } from './Candidate.js';
import { hypot } from '@relurec/linalg';

export interface PredictedCrossing {
  point: Float64Array;
  /** Unit normal of the candidate's boundary there (its input gradient, normalised). */
  normal: Float64Array;
}

/**
 * Where the candidate's boundary crosses the segment a -> b, computed from the known layers and the
 * candidate's weights (no queries): sign changes on a grid of `grid` points, each refined by
 * bisection to the segment's rounding level. The boundary is piecewise linear along the segment,
 * so a grid can miss two crossings closer than its spacing; those are simply not predicted.
 */
export function predictCrossings(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, a: Float64Array, b: Float64Array, grid = 64, signed = false): PredictedCrossing[] {
  const n = a.length;
  const at = (t: number) => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = a[i] + t * (b[i] - a[i]);
    return x;
  };
  // Grid and bisection points are evaluated in one scratch point (only crossings are kept).
  const f = candidateValueFunction(known, cand, signed), scratch = new Float64Array(n);
  const value = (t: number) => {
    for (let i = 0; i < n; i++) scratch[i] = a[i] + t * (b[i] - a[i]);
    return f(scratch);
  };
  const out: PredictedCrossing[] = [];
  let t0 = 0, v0 = value(0);
  for (let s = 1; s <= grid; s++) {
    const t1 = s / grid, v1 = value(t1);
    if (v0 !== 0 && v1 !== 0 && Math.sign(v0) !== Math.sign(v1)) {
      let lo = t0, hi = t1, vlo = v0;
      for (let it = 0; it < 60 && hi - lo > 1e-16; it++) {
        const mid = 0.5 * (lo + hi), vm = value(mid);
        if (vm === 0) { lo = hi = mid; break; }
        if (Math.sign(vm) === Math.sign(vlo)) { lo = mid; vlo = vm; } else hi = mid;
      }
      const p = at(0.5 * (lo + hi));
      const g = candidateValue(known, cand, p, signed).gradient;
      const gn = hypot(g);
      if (gn > 0) out.push({ point: p, normal: g.map((v) => v / gn) });
    }
    t0 = t1;
    v0 = v1;
  }
  return out;
}
