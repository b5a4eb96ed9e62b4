import type { Probe } from '@relurec/geometry';
import { planeValue } from './Hyperplane.js';
import type { Tolerances } from '../context/RecoveryContext.js';

export interface FarTestResult {
  /** The boundary point found near the predicted one, or undefined when the test missed. */
  point?: Float64Array;
  /** Offset of the found kink from the prediction along the normal (input units). */
  offset?: number;
}

/**
 * The 4-query boundary test: lines through two points on each side of a predicted boundary point
 * q (along the unit normal n, within +-window) meet at the kink when the boundary passes through q.
 * Lines through points far apart on one piece make the position exact up to rounding.
 */
export async function farTest(probe: Probe, q: Float64Array, n: Float64Array, tol: Tolerances): Promise<FarTestResult> {
  const w = tol.farWindow;
  const at = (t: number) => {
    const x = new Float64Array(q.length);
    for (let i = 0; i < q.length; i++) x[i] = q[i] + t * n[i];
    return x;
  };
  const ts = [-w, -w / 2, w / 2, w];
  const f = await probe.scalars(ts.map(at));
  const sL = (f[1] - f[0]) / (w / 2), sR = (f[3] - f[2]) / (w / 2);
  if (Math.abs(sL - sR) * w <= tol.value) return {};
  // left: f[1] + sL (t - ts[1]); right: f[2] + sR (t - ts[2])
  const t = (f[2] - f[1] + sL * ts[1] - sR * ts[2]) / (sL - sR);
  if (!(Math.abs(t) <= tol.farPass)) return {};
  return { point: at(t), offset: t };
}

/** A point on the plane near `x`: x projected along the normal. */
export function projectOntoPlane(plane: { normal: Float64Array; offset: number }, x: Float64Array): Float64Array {
  const d = planeValue(plane, x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - d * plane.normal[i];
  return out;
}
