import { fitPlane } from './fitPlane.js';
import { planeValue } from './Hyperplane.js';

/**
 * Far positions are exact to ~1e-15 mostly, but one off by ~1e-12 passes every tolerance and tilts
 * a plane fitted from n0 + 3 of them (2e-12 off gave a plane 7.6e-13 off, 10x the others', on a
 * trained 10-20-20-2, and 36 -> 39 bits downstream once dropped). Its residual in the fit does not
 * show it (the plane leans towards it), but the fit without it agrees much better: drop the point
 * whose removal cuts the root-mean-square residual of the rest by 5x or more, while more than
 * `minKeep` are left and that residual is above `floor` (input units). Returns the kept points and
 * their plane (oriented along `orient`).
 */
export function dropTiltingPoints(points: Float64Array[], orient: Float64Array, minKeep: number, floor: number): { kept: Float64Array[]; plane: ReturnType<typeof fitPlane> } {
  const rms = (pl: ReturnType<typeof fitPlane>, qs: Float64Array[]) => Math.sqrt(qs.reduce((a, q) => a + planeValue(pl, q) ** 2, 0) / qs.length);
  let kept = points, plane = fitPlane(points, orient);
  while (kept.length > minKeep && rms(plane, kept) > floor) {
    const subsets = kept.map((_, i) => {
      const rest = kept.filter((_, k) => k !== i), pl = fitPlane(rest, orient);
      return { rest, pl, r: rms(pl, rest) };
    });
    const best = subsets.reduce((a, b) => (b.r < a.r ? b : a));
    if (!(best.r < rms(plane, kept) / 5)) break;
    kept = best.rest;
    plane = best.pl;
  }
  return { kept, plane };
}
