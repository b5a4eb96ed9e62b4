import type { DenseLayer } from '@relurec/network';
import { farTest } from '../layer1/farTest.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import type { Candidate } from './Candidate.js';
import { predictCrossings } from './predictCrossings.js';

export interface RefineOptions {
  /** Boundary points to add. Default max(4, (unknowns + 1) / 2): trace points already pin the row. */
  points?: number;
  /** Random segments tried at most. Default 4 x points. */
  maxSegments?: number;
  /** Segments are drawn from N(0, (spread x domain scale)^2 I). Default 1.5. */
  spread?: number;
  /**
   * Known boundary points of the neuron: when segments across the domain find fewer than `points`
   * (a boundary in a narrow cone, or far out), segments around these (ends ~ N(center, domain
   * scale^2 I)) make up the rest, with the same budget of segments again.
   */
  centers?: Float64Array[];
}

/**
 * Precision (ALGORITHM.md section 6): more exact points on one neuron's boundary, spread over the
 * domain and so over many activation patterns. The solved model predicts where the boundary crosses
 * random segments (no queries); each prediction is located with the 4-query kink test, exact up to
 * rounding. Predictions whose test misses (another kink in the window) are skipped.
 */
export async function collectBoundaryPoints(ctx: RecoveryContext, known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, signed: boolean, options: RefineOptions = {}): Promise<Float64Array[]> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  // Trace points are exact already (closure ~1e-15): a few points across the domain add the spread
  // a trace lacks (4 x (unknowns + 1), the old default, cost ~1/4 of a 2-hidden-layer run; 8 or
  // (unknowns + 1) / 2 gave the same bits within 1 on 2-hidden-layer nets).
  const want = options.points ?? Math.max(4, Math.ceil((cand.c.length + (signed ? 0 : cand.lambda.length) + 1) / 2));
  const maxSegments = options.maxSegments ?? 4 * want;
  const spread = (options.spread ?? 1.5) * tol.domainScale;
  const narrow = Math.max(1e-5 * tol.domainScale, 10 * tol.farPass);
  const out: Float64Array[] = [];
  const centers = options.centers ?? [];
  for (let s = 0; s < (centers.length > 0 ? 2 : 1) * maxSegments && out.length < want; s += 8) {
    const preds = [];
    const pairs = Array.from({ length: 8 }, () => [rng.gaussianArray(n0), rng.gaussianArray(n0)]);
    if (s >= maxSegments) {
      // Around known boundary points: a segment of ~2 domain scales through the neighbourhood of
      // one crosses the boundary about half the time, in patterns next to the known ones.
      for (const [a, b] of pairs) {
        const c = centers[Math.floor(rng.nextDouble() * centers.length)];
        preds.push(...predictCrossings(known, cand, a.map((v, i) => c[i] + v * tol.domainScale), b.map((v, i) => c[i] + v * tol.domainScale), 64, signed).slice(0, 1));
      }
    }
    // A neuron whose boundary lies far out (found by the rare-neuron search: active, or inactive, only
    // beyond the domain) is crossed by no segment at the default spread: wider segments then, chosen
    // without queries (only predicted crossings are paid for), so other neurons are unaffected.
    for (const grow of s >= maxSegments ? [] : [1, 3, 10]) {
      for (const [a, b] of pairs) preds.push(...predictCrossings(known, cand, a.map((v) => v * spread * grow), b.map((v) => v * spread * grow), 64, signed).slice(0, 1));
      if (preds.length > 0) break;
    }
    // The solution predicts its boundary to ~1e-10 where it is right: a narrow window keeps other
    // kinks out, and the confirmation rejects the rare point they would still move.
    const results = await Promise.all(preds.map((p) => farTest(probe, p.point, p.normal, tol, { window: narrow, confirm: true, eager: true })));
    for (const r of results) if (r.point && out.length < want) out.push(r.point);
  }
  return out;
}
