import { findKinks, jumpNormal, pointOnSegment, regionJacobian, segmentBetween, type Kink, type RegionJacobian, type Segment } from '@relurec/geometry';
import { dot } from '@relurec/linalg';
import { fitPlane } from './fitPlane.js';
import { farTest, projectOntoPlane } from './farTest.js';
import { planeValue, samePlane, type Hyperplane } from './Hyperplane.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';

export interface FirstLayerOptions {
  /** Segments in a row that find no new neuron before the layer counts as saturated. Default 8. */
  saturationSegments?: number;
  /** Segments at least. Default 12. */
  minSegments?: number;
  /** Segments at most. Default 400. */
  maxSegments?: number;
  /** Domain scales tried after saturation at scale 1, for neurons whose boundaries lie far out. Default [3, 10]. */
  farScales?: number[];
  /** Far points tested per candidate before the fit; most must pass. Default 3 (2 must pass). */
  farTests?: number;
  /** Fit planes from positions when inputDim <= this; above it keep the measured normal. Default 64. */
  maxFitDim?: number;
  /** Segments searched ahead concurrently. Default 4 for inputDim >= 100, else 1. */
  lookahead?: number;
}

/** A region Jacobian measured on a sampled segment: reused for normals and for the sign solve. */
export interface MeasuredRegion {
  point: Float64Array;
  jacobian: Float64Array;
}

export interface FirstLayerResult {
  planes: Hyperplane[];
  /** Kinks no layer-1 plane explains: seeds of deeper layers. */
  unexplained: { point: Float64Array; normal: Float64Array }[];
  regions: MeasuredRegion[];
  /** Points whose outputs are cached (segment ends, piece midpoints): samples for output fits. */
  samples: Float64Array[];
  segments: number;
  /** Kink-search intervals given up (a kink may hide there). */
  unresolved: number;
  /** Set when sampling stopped early (budget, oracle failure): what was found is still returned. */
  stoppedBy?: unknown;
}

/**
 * Layer 1 (ALGORITHM.md section 3): kinks on random segments; a normal only for kinks no known
 * plane explains; the global-hyperplane test at far points; planes fitted from exact far-test
 * positions; sampling until several segments in a row find nothing new, then at larger scales.
 */
export async function findFirstLayer(ctx: RecoveryContext, options: FirstLayerOptions = {}): Promise<FirstLayerResult> {
  const { probe, tol, rng, log } = ctx;
  const n0 = probe.inputDim;
  const saturation = options.saturationSegments ?? 8;
  const minSegments = options.minSegments ?? 12;
  const maxSegments = options.maxSegments ?? 400;
  const farScales = options.farScales ?? [3, 10];
  const farTests = options.farTests ?? 3;
  const maxFitDim = options.maxFitDim ?? 64;

  const planes: Hyperplane[] = [];
  const unexplained: FirstLayerResult['unexplained'] = [];
  const regions: MeasuredRegion[] = [];
  const samples: Float64Array[] = [];
  let segments = 0, unresolved = 0;

  const explainedBy = (p: Float64Array) => planes.find((pl) => Math.abs(planeValue(pl, p)) < tol.explain);

  const randomPoint = (scale: number) => {
    const x = rng.gaussianArray(n0);
    for (let i = 0; i < n0; i++) x[i] *= scale * tol.domainScale;
    return x;
  };

  const measureCandidate = async (normal: Float64Array, jump: Float64Array, p: Float64Array, scale: number): Promise<Hyperplane | undefined> => {
    const candidate = { normal, offset: -dot(normal, p) };
    const points: Float64Array[] = [];
    let passes = 0, misses = 0;
    const want = n0 <= maxFitDim ? n0 + 3 : farTests;
    // Far points: random domain points projected onto the candidate plane, tested in small batches.
    while (points.length < want) {
      const batch = Math.min(want - points.length, 8);
      const qs = Array.from({ length: batch }, () => projectOntoPlane(candidate, randomPoint(scale)));
      const results = await Promise.all(qs.map((q) => farTest(probe, q, normal, tol)));
      for (const r of results) {
        if (r.point) { passes++; points.push(r.point); } else misses++;
      }
      // Decide membership on the first farTests outcomes: most must pass.
      if (passes + misses >= farTests && passes < Math.ceil((2 * farTests) / 3) && passes <= misses) return undefined;
      if (misses > 3 * want) return undefined;
    }
    // A deeper neuron can pass a few far tests where its bent boundary happens to be flat; a
    // true layer-1 boundary passes most tests and its passing points lie on one plane.
    if (passes < misses) return undefined;
    if (n0 <= maxFitDim) {
      let fitted = fitPlane(points, normal);
      let kept = points;
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
      const worst = Math.max(...kept.map((q) => Math.abs(planeValue(fitted, q))));
      if (worst > tol.farPass) return undefined;
      return { normal: fitted.normal, offset: fitted.offset, jump, points: kept, hits: 1, fit: 'points' };
    }
    // Large n0: keep the measured normal and take the offset from an exact boundary point near the
    // foot of the perpendicular from the origin: there |q| is smallest, so the normal's error
    // (~1e-10 per component) moves the offset least (at a random far point |q| ~ sqrt(n0)).
    const foot = projectOntoPlane(candidate, new Float64Array(n0));
    const footTest = await farTest(probe, foot, normal, tol);
    const anchor = footTest.point ?? points[0];
    return { normal, offset: -dot(normal, anchor), jump, points: [anchor, ...points], hits: 1, fit: 'normal' };
  };

  // Kink searches of the next few segments run concurrently so that their queries share oracle
  // batches (a remote black box is latency-bound); what they find is still processed in segment
  // order, so the result does not depend on timing. Wide inputs only: on small ones the searches a
  // stopping rule leaves unused cost more than the latency saved.
  const lookahead = options.lookahead ?? (n0 >= 100 ? 4 : 1);
  let ahead: { scale: number; seg: Segment; search: ReturnType<typeof findKinks> }[] = [];
  const nextSegment = (scale: number) => {
    if (ahead.length > 0 && ahead[0].scale !== scale) ahead = [];
    while (ahead.length < lookahead) {
      const seg = segmentBetween(randomPoint(scale), randomPoint(scale));
      ahead.push({ scale, seg, search: findKinks(probe, seg, { tolerance: tol.value, endSlopeStep: tol.endSlopeStep }) });
    }
    return ahead.shift()!;
  };

  const sampleSegment = async (scale: number): Promise<number> => {
    const { seg, search } = nextSegment(scale);
    segments++;
    const { kinks, unresolved: u } = await search;
    unresolved += u;
    samples.push(pointOnSegment(seg, 0), pointOnSegment(seg, 1));
    const jac = new Map<number, Promise<RegionJacobian>>();
    const segLen = Math.hypot(...seg.direction);
    // Piece i lies between kink i-1 and kink i (segment ends at 0 and 1).
    const pieceJacobian = (i: number) => {
      let p = jac.get(i);
      if (!p) {
        const ta = i === 0 ? 0 : kinks[i - 1].t, tb = i === kinks.length ? 1 : kinks[i].t;
        const mid = pointOnSegment(seg, 0.5 * (ta + tb));
        samples.push(mid);
        const step = Math.min(1e-2 * tol.domainScale, 0.3 * 0.5 * (tb - ta) * segLen);
        p = regionJacobian(probe, mid, { step, tolerance: tol.value }).then((r) => {
          regions.push({ point: mid, jacobian: r.jacobian });
          return r;
        });
        jac.set(i, p);
      }
      return p;
    };
    let found = 0;
    for (let k = 0; k < kinks.length; k++) {
      const kink: Kink = kinks[k];
      const known = explainedBy(kink.point);
      if (known) { known.hits++; continue; }
      let JA: RegionJacobian, JB: RegionJacobian;
      try {
        [JA, JB] = await Promise.all([pieceJacobian(k), pieceJacobian(k + 1)]);
      } catch {
        unexplained.push({ point: kink.point, normal: new Float64Array(n0) });
        continue;
      }
      const { normal, jump } = jumpNormal(JA.jacobian, JB.jacobian, probe.outputDim, n0, seg.direction);
      const candidate = { normal, offset: -dot(normal, kink.point) };
      const dup = planes.find((pl) => samePlane(pl, candidate, tol.angle, 100 * tol.explain));
      if (dup) { dup.hits++; continue; }
      const plane = await measureCandidate(normal, jump, kink.point, scale);
      if (plane && !planes.some((pl) => samePlane(pl, plane, 1e-3 * tol.angle, tol.explain))) {
        planes.push(plane);
        found++;
        log(`layer 1: neuron ${planes.length} (fit from ${plane.points.length} ${plane.fit === 'points' ? 'positions' : 'positions + normal'})`);
      } else if (!plane) {
        unexplained.push({ point: kink.point, normal });
      }
    }
    return found;
  };

  let stoppedBy: unknown;
  try {
    for (const scale of [1, ...farScales]) {
      let quiet = 0, done = 0;
      const min = scale === 1 ? minSegments : Math.max(2, Math.ceil(minSegments / 3));
      const sat = scale === 1 ? saturation : Math.max(2, Math.ceil(saturation / 2));
      while (segments < maxSegments && (done < min || quiet < sat)) {
        const found = await sampleSegment(scale);
        done++;
        quiet = found > 0 ? 0 : quiet + 1;
      }
    }
  } catch (e) {
    stoppedBy = e;
    log(`layer 1: sampling stopped early: ${(e as Error).message}`);
  }
  // Searches started ahead and not used must end before this returns: nothing may query the
  // black box after the caller has moved on (or closed it).
  await Promise.allSettled(ahead.map((a) => a.search));
  ahead = [];
  // Kinks that a plane found later explains are not deeper seeds.
  const deeper = unexplained.filter((u) => !explainedBy(u.point));
  return { planes, unexplained: deeper, regions, samples, segments, unresolved, stoppedBy };
}
