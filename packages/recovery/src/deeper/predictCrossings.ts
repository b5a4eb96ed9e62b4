import type { DenseLayer } from '@relurec/network';
import { candidateValue, candidateValueFunction, knownForwardPass, signedValue, type Candidate } from './Candidate.js';
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
  // Grid and bisection points are evaluated in one scratch point (only crossings are kept).
  const f = candidateValueFunction(known, cand, signed), scratch = new Float64Array(a.length);
  const value = (t: number) => f(pointAt(a, b, t, scratch));
  const out: PredictedCrossing[] = [];
  let t0 = 0, v0 = value(0);
  for (let s = 1; s <= grid; s++) {
    const t1 = s / grid, v1 = value(t1);
    if (v0 !== 0 && v1 !== 0 && Math.sign(v0) !== Math.sign(v1)) {
      const c = crossingAt(known, cand, pointAt(a, b, bisect(value, t0, t1, v0), new Float64Array(a.length)), signed);
      if (c) out.push(c);
    }
    t0 = t1;
    v0 = v1;
  }
  return out;
}

/**
 * predictCrossings of a signed candidate with its weight `column` set to each of `weights` in turn
 * (the rest of its row fixed), on one grid: the known layers' forward pass, nearly all of a grid
 * point's cost, is made once a point for all of them (five guesses of an unseen weight cost about
 * one grid instead of five). Crossings per weight, in the order of `weights`; each list is
 * predictCrossings' for that weight, bit for bit.
 */
export function predictCrossingsForWeights(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'bias'>, column: number, weights: readonly number[], a: Float64Array, b: Float64Array, grid = 64): PredictedCrossing[][] {
  const pass = knownForwardPass(known), top = pass.zetas[known.length - 1], scratch = new Float64Array(a.length);
  const rows = weights.map((w) => {
    const c = Float64Array.from(cand.c);
    c[column] = w;
    return { c, lambda: new Float64Array(0), bias: cand.bias };
  });
  const out = weights.map((): PredictedCrossing[] => []);
  const v0 = new Float64Array(weights.length), v1 = new Float64Array(weights.length);
  pass.run(pointAt(a, b, 0, scratch));
  rows.forEach((r, q) => { v0[q] = signedValue(top, r.c, r.bias); });
  for (let s = 1; s <= grid; s++) {
    const t0 = (s - 1) / grid, t1 = s / grid;
    pass.run(pointAt(a, b, t1, scratch));
    rows.forEach((r, q) => { v1[q] = signedValue(top, r.c, r.bias); });
    rows.forEach((r, q) => {
      if (v0[q] === 0 || v1[q] === 0 || Math.sign(v0[q]) === Math.sign(v1[q])) return;
      const value = (t: number) => {
        pass.run(pointAt(a, b, t, scratch));
        return signedValue(top, r.c, r.bias);
      };
      const found = crossingAt(known, r, pointAt(a, b, bisect(value, t0, t1, v0[q]), new Float64Array(a.length)), true);
      if (found) out[q].push(found);
    });
    v0.set(v1);
  }
  return out;
}

function pointAt(a: Float64Array, b: Float64Array, t: number, into: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) into[i] = a[i] + t * (b[i] - a[i]);
  return into;
}

/** The sign change of `value` in [t0, t1] (value(t0) = v0), bisected to the segment's rounding level. */
function bisect(value: (t: number) => number, t0: number, t1: number, v0: number): number {
  let lo = t0, hi = t1, vlo = v0;
  for (let it = 0; it < 60 && hi - lo > 1e-16; it++) {
    const mid = 0.5 * (lo + hi), vm = value(mid);
    if (vm === 0) return mid;
    if (Math.sign(vm) === Math.sign(vlo)) {
      lo = mid;
      vlo = vm;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}

function crossingAt(known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, p: Float64Array, signed: boolean): PredictedCrossing | undefined {
  const g = candidateValue(known, cand, p, signed).gradient;
  const gn = hypot(g);
  return gn > 0 ? { point: p, normal: g.map((v) => v / gn) } : undefined;
}
