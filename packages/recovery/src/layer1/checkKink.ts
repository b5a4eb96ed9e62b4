import type { Probe } from '@relurec/geometry';
import type { Rng } from '@relurec/random';
import type { Tolerances } from '../context/RecoveryContext.js';
import { farTest } from './farTest.js';
import { hypot } from '@relurec/linalg';

/** A kink found on a sampling segment, with the room around it along the segment. */
export interface SegmentKink {
  point: Float64Array;
  /** Unit direction of the segment (input units). */
  direction: Float64Array;
  /** Distances along `direction` to the previous and the next kink (or segment end), input units. */
  before: number;
  after: number;
  /** Slopes of the scalarised output along `direction` (per input unit) on the pieces before and after. */
  slopeBefore: number;
  slopeAfter: number;
}

export interface KinkCheck {
  /**
   * 'bent': the kink is visible just beside the segment but its boundary is not where a plane
   * through both places predicts it, on either side far away (a deeper neuron, like the far-test
   * prefilter's two misses); 'plane': 3 of 4 far predictions held; 'unknown': no kink found
   * beside the segment (a grazing crossing), nothing decided.
   */
  verdict: 'bent' | 'plane' | 'unknown';
  /** The kink found again beside the segment, ~w/20 away (on the same boundary). */
  beside?: Float64Array;
  /** Exact boundary points found far along the candidate plane (the passes). */
  points: Float64Array[];
  /** The slope jump seen at each point (per input unit along its search direction). */
  jumps: number[];
  /** Far predictions that held / missed. */
  passes: number;
  misses: number;
}

export interface CheckKinkOptions {
  /** Distance of the far predictions from the kink, in units of scale x domainScale. Default sqrt(n0). */
  reach?: number;
  /** Largest half-window beside the segment, in units of scale x domainScale. Default 0.02. */
  maxWindow?: number;
}

/**
 * Is a sampled kink on a hyperplane (a layer-1 candidate), before paying ~2(n0 + 2) queries for
 * its normal (ALGORITHM.md section 3)? The kink is found again on a line parallel to the segment,
 * shifted by a tiny step s along a random direction d (two queries, with the piece slopes the
 * segment search measured): a plane through
 * the kink meets every parallel line p + s d + t u at t linear in s, so the two positions span a
 * line inside the candidate plane. Far along that line, on both sides, the kink test must find the
 * boundary exactly where the plane says; a deeper neuron's boundary bends on the way (where any
 * earlier neuron switches) and misses. About 8 queries for a deeper kink instead of ~30 for a
 * normal and the prefilter, and the far points found feed the plane fit when it is a plane.
 */
export async function checkKink(probe: Probe, tol: Tolerances, rng: Rng, kink: SegmentKink, scale: number, options: CheckKinkOptions = {}): Promise<KinkCheck> {
  const n = probe.inputDim;
  const unit = scale * tol.domainScale;
  const u = kink.direction, p0 = kink.point;
  const none: KinkCheck = { verdict: 'unknown', points: [], jumps: [], passes: 0, misses: 0 };
  // Beside the segment: the window keeps well inside the neighbouring kinks, and the shift is a
  // twentieth of it, so the kink stays inside for crossings up to ~10x steeper along d than along u.
  const w1 = Math.min(0.25 * Math.min(kink.before, kink.after), (options.maxWindow ?? 0.02) * unit);
  if (!(w1 > 10 * tol.farPass)) return none;
  const d = rng.gaussianArray(n);
  let du = 0;
  for (let i = 0; i < n; i++) du += d[i] * u[i];
  for (let i = 0; i < n; i++) d[i] -= du * u[i];
  const dn = hypot(d);
  if (!(dn > 0)) return none;
  const s1 = w1 / 20;
  const q1 = Float64Array.from(p0, (v, i) => v + (s1 * d[i]) / dn);
  // The shifted line crosses the same two pieces, whose slopes along u the segment search measured:
  // one query on each side places the kink (lines of known slope through them meet there).
  const sL = kink.slopeBefore, sR = kink.slopeAfter;
  if (!(Math.abs(sL - sR) * w1 > tol.value)) return none;
  const h = w1 / 2;
  const [fa, fb] = await probe.scalars([-h, h].map((t) => Float64Array.from(q1, (v, i) => v + t * u[i])));
  const t1 = (fb - fa - (sL + sR) * h) / (sL - sR);
  // A kink beyond the two queries puts t1 at their edge: not found there.
  if (!(Math.abs(t1) < 0.8 * h)) return none;
  const p1 = Float64Array.from(q1, (v, i) => v + t1 * u[i]);
  // e: along the candidate plane within span(u, d); v: across it in the same 2-plane (the
  // plane's trace there is the line through p0 and p1, so v is the best-conditioned search).
  const e = Float64Array.from(p1, (v, i) => v - p0[i]);
  const en = hypot(e);
  for (let i = 0; i < n; i++) e[i] /= en;
  let ue = 0;
  for (let i = 0; i < n; i++) ue += u[i] * e[i];
  const v = Float64Array.from(u, (x, i) => x - ue * e[i]);
  const vn = hypot(v);
  if (!(vn > 1e-3)) return none;
  for (let i = 0; i < n; i++) v[i] /= vn;
  const R = (options.reach ?? Math.sqrt(n)) * unit;
  // The line is extrapolated from two points |p1 - p0| apart, each exact to ~1e-13 |p| only (1e-10
  // at |p| ~ 100): the prediction far away can be off by more than the far test's pass, while a
  // bent boundary misses by far more than a quarter window. The point found is exact either way.
  const test = (r: number) => farTest(probe, Float64Array.from(p0, (x, i) => x + r * e[i]), v, tol, { pass: 0.25 * tol.farWindow });
  const far = await Promise.all([test(R), test(-R)]);
  // A deeper boundary can run straight for a while (no earlier neuron switching on the way): twice
  // as far on both sides, and 3 of the 4 must hold, which leaves room for one place where a plane
  // is invisible (everything downstream inactive). For a plane these are fit points anyway.
  if (far.some((f) => f.point !== undefined)) far.push(...(await Promise.all([test(2 * R), test(-2 * R)])));
  const hits = far.filter((f) => f.point !== undefined);
  // p1 rests on slopes measured on the segment, not on its own four queries: it places the line,
  // but only the far positions are exact enough for the plane fit. Their jumps are along v: at
  // most the jump across the plane, so as fit weights they undervalue these points, never overvalue.
  const points = hits.map((f) => f.point!);
  const jumps = hits.map((f) => f.jump!);
  const passes = hits.length, misses = far.length - passes;
  return { verdict: passes >= 3 ? 'plane' : 'bent', beside: p1, points, jumps, passes, misses };
}
