import { findKinks } from '@relurec/geometry';
import type { DenseLayer } from '@relurec/network';
import { farTest } from '../layer1/farTest.js';
import { localState } from '../known/localState.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import type { Candidate } from './Candidate.js';
import { predictCrossings, type PredictedCrossing } from './predictCrossings.js';

export interface MembershipOptions {
  /** Hits needed to accept. Default 4. */
  hits?: number;
  /** Misses that reject. Default 3. */
  misses?: number;
  /** Random segments across the domain whose predicted crossings are ranked. Default 24. */
  segments?: number;
  /** A test point closer than this to a trace point tests nothing and is skipped (input units). Default 1 domain scale. */
  minTraceDistance?: number;
}

export interface MembershipResult {
  verdict: 'member' | 'impostor' | 'inconclusive';
  hits: number;
  misses: number;
  inconclusive: number;
  /** Largest offset of a hit from its prediction (input units): the candidate's accuracy far away. */
  worstOffset: number;
}

/**
 * The global membership test of ALGORITHM.md section 4 ('prediction far away'): predict where the
 * candidate's boundary crosses random segments across the whole domain, prefer crossings whose
 * layer-(k-1) pattern differs most from every pattern on the trace, and test each with the 4-query
 * kink test; a miss is re-checked with a full kink search in the window (no kink at all there is
 * inconclusive: the boundary may be invisible). Several hits before a few misses accept.
 */
export async function testMembership(ctx: RecoveryContext, known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias' | 'points'> & { fixedColumns?: number[]; fixedStates?: number[] }, options: MembershipOptions = {}): Promise<MembershipResult> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  const wantHits = options.hits ?? 4, maxMisses = options.misses ?? 3;
  const minDist = (options.minTraceDistance ?? 1) * tol.domainScale;
  const top = known.length - 1;
  const pattern = (x: Float64Array) => Array.from(localState(known, x).zetas[top], (v) => (v > 0 ? 1 : 0));
  const tracePatterns = cand.points.map(pattern);
  const predicted: { c: PredictedCrossing; score: number }[] = [];
  for (let s = 0; s < (options.segments ?? 24); s++) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v * tol.domainScale);
    const b = rng.gaussianArray(n0).map((v) => 2 * v * tol.domainScale);
    for (const c of predictCrossings(known, cand, a, b)) {
      const near = cand.points.some((p) => Math.hypot(...p.map((v, i) => v - c.point[i])) < minDist);
      if (near) continue;
      const pat = pattern(c.point);
      // The solution is exact only where the neurons that never changed state on the trace keep that state.
      if ((cand.fixedColumns ?? []).some((j, i) => pat[j] !== cand.fixedStates![i])) continue;
      const score = Math.min(...tracePatterns.map((tp) => tp.reduce<number>((acc, v, j) => acc + (v !== pat[j] ? 1 : 0), 0)));
      predicted.push({ c, score });
    }
  }
  predicted.sort((x, y) => y.score - x.score);
  let hits = 0, misses = 0, inconclusive = 0, worstOffset = 0;
  /** One prediction's outcome: a hit with its offset, a miss, or inconclusive (no kink there at all). */
  const test = async (c: PredictedCrossing): Promise<{ kind: 'hit'; offset: number } | { kind: 'miss' | 'inconclusive' }> => {
    const r = await farTest(probe, c.point, c.normal, tol, { eager: true });
    if (r.point) return { kind: 'hit', offset: Math.abs(r.offset ?? 0) };
    const w = tol.farWindow;
    const { kinks } = await findKinks(probe, { origin: c.point, direction: c.normal, t0: -w, t1: w }, { tolerance: tol.value });
    if (kinks.length === 0) return { kind: 'inconclusive' };
    const best = Math.min(...kinks.map((k) => Math.abs(k.t)));
    return best <= tol.farPass ? { kind: 'hit', offset: best } : { kind: 'miss' };
  };
  // The tests still needed if all hit run together (round trips, not queries, are the cost of a
  // remote black box); outcomes are taken in ranking order until the verdict, as one at a time.
  for (let i = 0; i < predicted.length && hits < wantHits && misses < maxMisses;) {
    const outcomes = await Promise.all(predicted.slice(i, i + wantHits - hits).map(({ c }) => test(c)));
    for (const o of outcomes) {
      if (hits >= wantHits || misses >= maxMisses) break;
      i++;
      if (o.kind === 'hit') { hits++; worstOffset = Math.max(worstOffset, o.offset); } else if (o.kind === 'miss') misses++; else inconclusive++;
    }
  }
  const verdict = hits >= wantHits && misses < maxMisses ? 'member' : misses >= maxMisses ? 'impostor' : 'inconclusive';
  return { verdict, hits, misses, inconclusive, worstOffset };
}
