import type { Probe } from '../probe/Probe.js';
import type { Segment } from './Segment.js';
import { pointOnSegment } from './Segment.js';

export interface KinkSearchOptions {
  /**
   * Absolute tolerance on scalarised output values (output units): derive it from the output scale
   * and the noise floor. End slopes are extrapolated over 1/endSlopeStep of their own step, so it
   * must exceed about 2 noise / endSlopeStep, or the recursion never settles.
   */
  tolerance: number;
  /** Step for end slopes, as a fraction of the interval length. Default 1e-4. */
  endSlopeStep?: number;
  /** Half-width of the two-query confirmation, as a fraction of the segment length. Default 1e-6. */
  confirmStep?: number;
  /** Recursion depth at which an interval is given up (counted in `unresolved`). Default 48. */
  maxDepth?: number;
  /** Queries one search may spend before giving up on what is left (counted in `unresolved`): a safety net against pathological recursion. Default 5000. */
  maxQueries?: number;
}

export interface Kink {
  /** Parameter on the segment. */
  t: number;
  /** origin + t * direction. */
  point: Float64Array;
  /** Slopes (d s / d t) of the scalarised output on the pieces left and right of the kink. */
  slopeLeft: number;
  slopeRight: number;
}

export interface KinkSearchResult {
  kinks: Kink[];
  /** Intervals given up at maxDepth: a kink may hide there. */
  unresolved: number;
}

const SPLIT_FRACTION = 0.4860702;

interface Interval {
  t0: number;
  f0: number;
  s0: number;
  t1: number;
  f1: number;
  s1: number;
}

/**
 * All kinks of s(t) = r . N(origin + t direction) on [t0, t1] (ALGORITHM.md section 2.2).
 * End slopes, line intersection, two-query confirmation (one query at t* is fooled by opposite
 * bends), recursion at the midpoint otherwise. Each kink is finally re-placed as the intersection
 * of lines through points far apart on its two pieces, which is exact up to rounding.
 * Concurrent sub-searches let the probe batch their queries.
 */
export async function findKinks(probe: Probe, segment: Segment, options: KinkSearchOptions): Promise<KinkSearchResult> {
  const tol = options.tolerance;
  if (!(tol > 0)) throw new RangeError('options.tolerance must be a positive number');
  const endStep = options.endSlopeStep ?? 1e-4;
  const confirmStep = options.confirmStep ?? 1e-6;
  const maxDepth = options.maxDepth ?? 48;
  const segLen = segment.t1 - segment.t0;
  if (!(segLen > 0)) throw new RangeError('segment.t1 must exceed segment.t0');
  const maxQueries = options.maxQueries ?? 5000;
  let asked = 0;
  const f = (t: number) => {
    asked++;
    return probe.scalar(pointOnSegment(segment, t));
  };
  let unresolved = 0;

  const split = async (iv: Interval, depth: number): Promise<Kink[]> => {
    // Off-centre, so that kinks placed at round numbers by hand do not sit on the split point.
    const p = iv.t0 + SPLIT_FRACTION * (iv.t1 - iv.t0);
    const d = endStep * 0.5 * (iv.t1 - iv.t0);
    const [fl, fp, fr] = await Promise.all([f(p - d), f(p), f(p + d)]);
    const [a, b] = await Promise.all([
      search({ t0: iv.t0, f0: iv.f0, s0: iv.s0, t1: p, f1: fp, s1: (fp - fl) / d }, depth + 1),
      search({ t0: p, f0: fp, s0: (fr - fp) / d, t1: iv.t1, f1: iv.f1, s1: iv.s1 }, depth + 1),
    ]);
    return [...a, ...b];
  };

  const search = async (iv: Interval, depth: number): Promise<Kink[]> => {
    const { t0, f0, s0, t1, f1, s1 } = iv;
    const L = t1 - t0;
    if (depth > maxDepth || L <= segLen * 1e-13 || asked > maxQueries) {
      unresolved++;
      return [];
    }
    const eRight = f1 - (f0 + s0 * L);
    const eLeft = f0 - (f1 - s1 * L);
    if (Math.abs(eRight) <= tol && Math.abs(eLeft) <= tol) {
      const fm = await f(0.5 * (t0 + t1));
      if (Math.abs(fm - 0.5 * (f0 + f1)) <= tol) return [];
      return split(iv, depth);
    }
    const ds = s0 - s1;
    if (Math.abs(ds) * L <= tol) return split(iv, depth);
    const tStar = (f1 - f0 + s0 * t0 - s1 * t1) / ds;
    // The confirmation must be able to fail: at t* -+ h a second kink (t* lying on the far piece of
    // a pair) shows as |ds| h off its line, so h may not be so small that this is below tol (a
    // window 2e-3 long once merged a kink 5e-4 from a steep one).
    const h = Math.min(Math.max(confirmStep * segLen, (10 * tol) / Math.abs(ds)), 0.25 * L);
    if (!(tStar - h > t0 && tStar + h < t1)) return split(iv, depth);
    const [fa, fb] = await Promise.all([f(tStar - h), f(tStar + h)]);
    const okLeft = Math.abs(fa - (f0 + s0 * (tStar - h - t0))) <= tol;
    const okRight = Math.abs(fb - (f1 + s1 * (tStar + h - t1))) <= tol;
    if (!(okLeft && okRight)) {
      // Several kinks: split at t* itself when it is well inside, reusing the two confirmation
      // queries as the slope there (a split elsewhere costs three more).
      const rel = (tStar - t0) / L;
      if (!(rel > 0.05 && rel < 0.95)) return split(iv, depth);
      const sm = (fb - fa) / (2 * h);
      const [a, b] = await Promise.all([
        search({ t0, f0, s0, t1: tStar - h, f1: fa, s1: sm }, depth + 1),
        search({ t0: tStar + h, f0: fb, s0: sm, t1, f1, s1 }, depth + 1),
      ]);
      return [...a, ...b];
    }
    // Re-place with lines through points far apart on each piece: exact up to rounding.
    const sL = (fa - f0) / (tStar - h - t0);
    const sR = (f1 - fb) / (t1 - tStar - h);
    let t = sL !== sR ? (f1 - f0 + sL * t0 - sR * t1) / (sL - sR) : tStar;
    if (!(t > tStar - 2 * h && t < tStar + 2 * h)) t = tStar;
    return [{ t, point: pointOnSegment(segment, t), slopeLeft: sL, slopeRight: sR }];
  };

  const { t0, t1 } = segment;
  const d = endStep * segLen;
  const [f0, f0d, f1d, f1] = await Promise.all([f(t0), f(t0 + d), f(t1 - d), f(t1)]);
  const kinks = await search({ t0, f0, s0: (f0d - f0) / d, t1, f1, s1: (f1 - f1d) / d }, 0);
  kinks.sort((a, b) => a.t - b.t);
  return { kinks, unresolved };
}
