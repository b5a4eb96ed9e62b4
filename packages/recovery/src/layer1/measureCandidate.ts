import type { Probe } from '@relurec/geometry';
import { dot, hypot } from '@relurec/linalg';
import type { Rng } from '@relurec/random';
import type { Tolerances } from '../context/RecoveryContext.js';
import { farTest, projectOntoPlane } from './farTest.js';
import { fitPlane } from './fitPlane.js';
import { dropTiltingPoints } from './dropTiltingPoints.js';
import { planeValue, type Hyperplane } from './Hyperplane.js';
import { nullSpaceCovariance } from '../deeper/estimatePrecision.js';

/** Exact boundary points already found on the candidate plane, with the slope jump seen at each. */
export interface PriorPoints {
  points: Float64Array[];
  jumps: number[];
}

export interface MeasureCandidateOptions {
  /** Predicted standard error of a fitted row (unit normal, offset) above which more far points are taken, for a float64 black box (scaled up with a higher noise floor). Default 2^-42. */
  precisionTarget?: number;
  /** Most far points taken for precision, per plane. Default 2 (n0 + 3). */
  maxPrecisionPoints?: number;
  /** Far points tested per candidate before the fit; most must pass. Default 3 (2 must pass). */
  farTests?: number;
  /** Fit planes from positions when inputDim <= this; above it keep the measured normal. Default 64. */
  maxFitDim?: number;
}

/**
 * The global-hyperplane test of ALGORITHM.md section 3 for one candidate (a kink with its measured
 * normal): far points on the candidate plane must be kinks too. Returns the plane fitted from the
 * exact far positions (n0 <= maxFitDim) or the measured normal with an exact offset, or undefined
 * when the candidate is not a layer-1 boundary. `scale` = domain scales of the random far points.
 */
export async function measureCandidate(probe: Probe, tol: Tolerances, rng: Rng, candidateIn: { normal: Float64Array; jump: Float64Array; point: Float64Array; prior?: PriorPoints }, scale: number, options: MeasureCandidateOptions = {}): Promise<Hyperplane | undefined> {
  const n0 = probe.inputDim;
  const farTests = options.farTests ?? 3;
  const maxFitDim = options.maxFitDim ?? 64;
  // A noisy black box (float32) cannot reach a float64 target: the target scales with its noise floor.
  const target = (options.precisionTarget ?? 2 ** -42) * Math.max(1, tol.noise / (2 ** -52 * tol.outputScale));
  const maxExtra = options.maxPrecisionPoints ?? 2 * (n0 + 3);
  const { normal, jump, point } = candidateIn;
  const randomPoint = () => {
    const x = rng.gaussianArray(n0);
    for (let i = 0; i < n0; i++) x[i] *= scale * tol.domainScale;
    return x;
  };
  const candidate = { normal, offset: -dot(normal, point) };
  // Exact positions from the kink check (layer1/checkKink.ts) join the fit only once the plane is
  // fitted from n0 + 3 far points of its own, and only those on it: they lie on one line through
  // the kink (so the fit cannot tell an outlier among them), and the check's loose pass (a quarter
  // window) lets another boundary's kink through (5.7e-6 off on 10-20-20-1 rk 1 tilted a plane to
  // 7e-7 when it was in the fit from the start).
  const prior = candidateIn.prior?.points ?? [];
  const points: Float64Array[] = [];
  // Fit weights: the slope jump at each position (fitPlane says why).
  const jumpAt = new Map<Float64Array, number>(prior.map((p, i) => [p, candidateIn.prior!.jumps[i]]));
  const weightsOf = (pts: Float64Array[]) => pts.map((p) => jumpAt.get(p)!);
  let passes = 0, misses = 0;
  const want = n0 <= maxFitDim ? n0 + 3 : farTests;
  // Far points: random domain points projected onto the candidate plane, tested in small batches.
  // The first batch is a prefilter: most candidates are kinks of deeper neurons, which miss far
  // away; two misses in the first farTests outcomes already decide (2 of 3 must pass).
  let first = true;
  while (passes < want) {
    const batch = first ? Math.min(2, farTests) : passes + misses < farTests ? farTests - passes - misses : Math.min(want - passes, 8);
    first = false;
    const qs = Array.from({ length: batch }, () => projectOntoPlane(candidate, randomPoint()));
    const results = await Promise.all(qs.map((q) => farTest(probe, q, normal, tol)));
    for (const r of results) {
      if (r.point) { passes++; points.push(r.point); jumpAt.set(r.point, r.jump!); } else misses++;
    }
    // Decide membership on the first farTests outcomes: most must pass.
    if (passes + misses >= farTests && passes < Math.ceil((2 * farTests) / 3) && passes <= misses) return undefined;
    if (misses > farTests - Math.ceil((2 * farTests) / 3) && passes + misses <= farTests) return undefined;
    if (misses > 3 * want) return undefined;
  }
  // A deeper neuron can pass a few far tests where its bent boundary happens to be flat; a
  // true layer-1 boundary passes most tests and its passing points lie on one plane.
  if (passes < misses) return undefined;
  if (n0 <= maxFitDim) {
    // Outliers are found with unweighted fits: a weighted fit leans towards a heavy point that is
    // off (another boundary's kink, 2.3e-7 off with a large jump on 30-40-20-10 rk 1), and the
    // residual loop then dropped good light points instead and kept it (plane 6.9e-8 off).
    let pool = points;
    let fitted = fitPlane(pool, normal);
    let kept = pool;
    let worst = Infinity;
    for (let round = 0; ; round++) {
      fitted = fitPlane(pool, normal);
      kept = pool;
      // A far test that shared its window with another kink is off by up to farPass, and one such
      // point spreads its error over the whole fit: drop the worst point while any is off by more
      // than exact positions ever are (~1e-14), then refit.
      for (;;) {
        const res = kept.map((q) => Math.abs(planeValue(fitted, q)));
        const worstAt = res.indexOf(Math.max(...res));
        if (res[worstAt] <= tol.fitResidual || kept.length <= n0 + 1) break;
        kept = kept.filter((_, i) => i !== worstAt);
        fitted = fitPlane(kept, normal);
      }
      // One far position off by ~1e-12 (inside every tolerance) tilts the plane: left out.
      const robust = dropTiltingPoints(kept, normal, n0 + 2, 1e-14 * tol.domainScale);
      kept = robust.kept;
      fitted = robust.plane;
      worst = Math.max(...kept.map((q) => Math.abs(planeValue(fitted, q))));
      if (worst <= tol.fitResidual || round >= 3) break;
      // More points off than can be dropped (wide inputs: many boundaries cross each window): more
      // far points, each confirmed by two more queries (no second kink in its window), then refit.
      // Left as it was, one such plane fitted to 23 bits and broke every later layer (30-40-20-10).
      const more = await Promise.all(Array.from({ length: Math.min(8, n0) }, () => farTest(probe, projectOntoPlane(fitted, randomPoint()), fitted.normal, tol, { confirm: true })));
      for (const r of more) if (r.point) jumpAt.set(r.point, r.jump!);
      pool = [...kept, ...more.flatMap((r) => (r.point ? [r.point] : []))];
    }
    if (worst > tol.farPass) return undefined;
    const onPlane = prior.filter((p) => Math.abs(planeValue(fitted, p)) <= tol.fitResidual);
    kept = [...kept, ...onPlane];
    // The kept points, weighted by their jumps (fitPlane says why), when that fit keeps every one
    // of them as close as the unweighted fit did (or within fitResidual).
    const weighted = fitPlane(kept, normal, weightsOf(kept));
    const bound = Math.max(tol.fitResidual, worst);
    fitted = kept.every((q) => Math.abs(planeValue(weighted, q)) <= bound) ? weighted : fitPlane(kept, normal);
    // Section 6 for layer 1 (its rows are never refitted later): a position's rounding error is
    // ~ eps S / jump, so a plane whose neuron barely shows in the output at many of its points
    // (jumps of 1e-3 next to 0.5) is pinned by few of them; more far points until the predicted
    // standard error of the row is below target (these errors grow 3-10x in deeper layers).
    const noise = 4 * Math.max(2 ** -52 * tol.outputScale, tol.noise);
    const predicted = () => planeStd(kept, (p) => noise / jumpAt.get(p)!);
    for (let extra = 0; extra < maxExtra && predicted() > target; ) {
      const batch = Math.min(8, n0);
      extra += batch;
      const more = await Promise.all(Array.from({ length: batch }, () => farTest(probe, projectOntoPlane(fitted, randomPoint()), fitted.normal, tol)));
      for (const r of more) {
        if (!r.point || !(Math.abs(planeValue(fitted, r.point)) <= tol.fitResidual)) continue;
        jumpAt.set(r.point, r.jump!);
        kept = [...kept, r.point];
      }
      fitted = fitPlane(kept, normal, weightsOf(kept));
    }
    return { normal: fitted.normal, offset: fitted.offset, jump, points: kept, hits: 1, fit: 'points' };
  }
  // Large n0: keep the measured normal and take the offset from an exact boundary point near the
  // foot of the perpendicular from the origin: there |q| is smallest, so the normal's error
  // (~1e-10 per component) moves the offset least (at a random far point |q| ~ sqrt(n0)).
  const foot = projectOntoPlane(candidate, new Float64Array(n0));
  const footTest = await farTest(probe, foot, normal, tol);
  const anchor = footTest.point ?? points[0];
  return { normal, offset: -dot(normal, anchor), jump, points: [anchor, ...points], hits: 1, fit: 'normal' };
}

/** Predicted standard error of the plane through `points` (largest over unit normal and offset), each point with its own noise (distance units). */
function planeStd(points: Float64Array[], sigma: (p: Float64Array) => number): number {
  const n = points[0].length;
  const rows = points.map((p) => {
    const s = sigma(p);
    return [...Array.from(p, (v) => v / s), 1 / s];
  });
  const { v, variance } = nullSpaceCovariance(rows);
  const nv = hypot(v.subarray(0, n));
  return Math.sqrt(Math.max(...variance)) / nv;
}
