import { findKinks, type Probe } from '@relurec/geometry';
import type { Tolerances } from '../context/RecoveryContext.js';
import { farTest } from '../layer1/farTest.js';

export interface BoundaryProbe {
  /**
   * 'hit': a kink at the predicted point (within the pass tolerance); 'miss': kinks in the window,
   * none there; 'absent': no kink in the window while the output changes along it; 'flat': the
   * output is constant where the boundary was predicted (nothing can show there).
   */
  result: 'hit' | 'miss' | 'absent' | 'flat';
  /** The exact boundary point (hits). */
  point?: Float64Array;
  /** Offset of the nearest kink from the prediction (input units), when there is one. */
  offset?: number;
}

/**
 * Tests a predicted boundary point q (unit normal n) and says what a failure means. A hidden
 * neuron's boundary is invisible only where a whole later layer is inactive (with dense weights
 * every other case leaves a path of active neurons to the output), and then the output is locally
 * constant. So no kink where the output is NOT constant means the boundary is not there ('absent',
 * as strong as a miss), while a constant output is no evidence either way ('flat'). The 4-query
 * kink test first (`pass`: how far off a hit may be, default tol.farPass); on failure a kink search over the window (tol.farWindow), and the slope of the
 * piece holding q (its queries are mostly cached). `eager`: the kink test's four queries in one round trip (farTest).
 */
export async function probeBoundary(probe: Probe, q: Float64Array, n: Float64Array, tol: Tolerances, pass = tol.farPass, eager = false): Promise<BoundaryProbe> {
  const r = await farTest(probe, q, n, tol, { pass, eager });
  if (r.point) return { result: 'hit', point: r.point, offset: r.offset };
  const w = tol.farWindow;
  const at = (t: number) => q.map((v, i) => v + t * n[i]);
  const { kinks } = await findKinks(probe, { origin: q, direction: n, t0: -w, t1: w }, { tolerance: tol.value });
  // Slope threshold: a change of at most tol.value over the window counts as constant.
  const flatSlope = tol.value / w;
  if (kinks.length === 0) {
    const [a, b] = await probe.scalars([at(-w), at(w)]);
    return { result: Math.abs(b - a) / (2 * w) <= flatSlope ? 'flat' : 'absent' };
  }
  const nearest = kinks.reduce((x, y) => (Math.abs(y.t) < Math.abs(x.t) ? y : x));
  if (Math.abs(nearest.t) <= pass) return { result: 'hit', point: nearest.point, offset: nearest.t };
  // The piece of the line that holds q: constant there means nothing could show at q.
  const left = Math.max(-w, ...kinks.filter((k) => k.t < 0).map((k) => k.t));
  const right = Math.min(w, ...kinks.filter((k) => k.t > 0).map((k) => k.t));
  const a0 = left + 0.25 * (right - left), b0 = left + 0.75 * (right - left);
  const [fa, fb] = await probe.scalars([at(a0), at(b0)]);
  return { result: Math.abs(fb - fa) / (b0 - a0) <= flatSlope ? 'flat' : 'miss', offset: nearest.t };
}
