import type { Probe } from '@relurec/geometry';
import { planeValue } from './Hyperplane.js';
import type { Tolerances } from '../context/RecoveryContext.js';

export interface FarTestResult {
  /** The boundary point found near the predicted one, or undefined when the test missed. */
  point?: Float64Array;
  /** Offset of the found kink from the prediction along the normal (input units). */
  offset?: number;
  /** |slope jump| of the scalarised output across the kink, per input unit along n: the position's precision scales with it. */
  jump?: number;
}

/**
 * The 4-query boundary test: lines through two points on each side of a predicted boundary point
 * q (along the unit normal n, within +-window) meet at the kink when the boundary passes through q.
 * A window with no kink at all is told after 3 queries.
 * Lines through points far apart on one piece make the position exact up to rounding.
 */
export interface FarTestOptions {
  /** Half-width of the window (input units). Default tol.farWindow. */
  window?: number;
  /** Pass tolerance (input units). Default tol.farPass. */
  pass?: number;
  /**
   * Two more queries at the found kink +- window / 100, each checked against its own line: another
   * kink inside the window (which moves the found point by up to the pass tolerance) fails the test
   * instead of returning an inexact point. Default false.
   */
  confirm?: boolean;
  /**
   * All four queries in one round trip: for tests expected to hit (a trace's checks), one round
   * instead of two, at the price of one query when the window holds no kink. Same result. Default false.
   */
  eager?: boolean;
}

export async function farTest(probe: Probe, q: Float64Array, n: Float64Array, tol: Tolerances, options: FarTestOptions = {}): Promise<FarTestResult> {
  const w = options.window ?? tol.farWindow;
  const pass = options.pass ?? tol.farPass;
  const at = (t: number) => {
    const x = new Float64Array(q.length);
    for (let i = 0; i < q.length; i++) x[i] = q[i] + t * n[i];
    return x;
  };
  const ts = [-w, -w / 2, w / 2, w];
  // Three queries first: when the far end lies on the left line there is no kink in the window (a
  // miss, the common outcome for candidates that are not boundaries there) and the fourth is saved.
  const [f0, f1, f3, f2] = await probe.scalars(options.eager ? [at(ts[0]), at(ts[1]), at(ts[3]), at(ts[2])] : [at(ts[0]), at(ts[1]), at(ts[3])]);
  const sL = (f1 - f0) / (w / 2);
  if (Math.abs(f3 - (f1 + sL * (ts[3] - ts[1]))) <= tol.value) return {};
  const f = [f0, f1, f2 ?? (await probe.scalar(at(ts[2]))), f3];
  const sR = (f[3] - f[2]) / (w / 2);
  if (Math.abs(sL - sR) * w <= tol.value) return {};
  // left: f[1] + sL (t - ts[1]); right: f[2] + sR (t - ts[2])
  const t = (f[2] - f[1] + sL * ts[1] - sR * ts[2]) / (sL - sR);
  if (!(Math.abs(t) <= pass)) return {};
  if (options.confirm) {
    const h = w / 100;
    const [fa, fb] = await probe.scalars([at(t - h), at(t + h)]);
    if (Math.abs(fa - (f[1] + sL * (t - h - ts[1]))) > tol.value || Math.abs(fb - (f[2] + sR * (t + h - ts[2]))) > tol.value) return {};
  }
  return { point: at(t), offset: t, jump: Math.abs(sL - sR) };
}

/** A point on the plane near `x`: x projected along the normal. */
export function projectOntoPlane(plane: { normal: Float64Array; offset: number }, x: Float64Array): Float64Array {
  const d = planeValue(plane, x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - d * plane.normal[i];
  return out;
}
