import type { DenseLayer } from '@relurec/network';
import { probeBoundary } from './probeBoundary.js';
import { localState } from '../known/localState.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import type { Candidate } from './Candidate.js';
import { predictCrossings, type PredictedCrossing } from './predictCrossings.js';
import { inactiveBelow } from './Candidate.js';
import { hypot } from '@relurec/linalg';

export interface MembershipOptions {
  /** Hits needed to accept (plus two per miss). Default 4. */
  hits?: number;
  /** Misses that reject. Default 3. */
  misses?: number;
  /** Random segments across the domain whose predicted crossings are ranked. Default 24. */
  segments?: number;
  /** A test point closer than this to a trace point tests nothing and is skipped (input units). Default 1 domain scale. */
  minTraceDistance?: number;
  /**
   * Segments between points scattered around the trace (offsets of 1-4 domain scales) that keep every
   * never-switching input in its trace state: the only places where the solution claims to be exact
   * when many inputs never switched (random segments across the domain then test nothing). Default 48.
   */
  localSegments?: number;
  /** Tests at most. Default 16. */
  maxTests?: number;
  /**
   * Tests asked per round trip (a latency-bound black box): up to this many of the next tests that
   * the verdict still needs run together, each kink test with its four queries at once. The tests,
   * their order and the verdict are those of one at a time; a test past the verdict may be paid for.
   * Default 1.
   */
  batch?: number;
  /** Diagnostics: called with each test's outcome. */
  onTest?: (t: { result: 'hit' | 'miss' | 'absent' | 'flat'; score: number; distance: number; offset?: number; point: Float64Array }) => void;
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
 * candidate's boundary crosses random segments across the whole domain (and, when inputs never
 * switched on its trace, segments between points scattered around the trace where they keep their
 * state, the only places its solution claims to be exact), prefer crossings whose layer-(k-1)
 * pattern differs most from every pattern on the trace, and test each with probeBoundary. A kink
 * missing where the output is not constant is as strong as a kink off the prediction (a hidden
 * neuron's boundary is invisible only where the output is locally constant): both count as misses;
 * a constant output counts as inconclusive. The pass tolerance grows with the candidate's own
 * accuracy (closure over pinning) and the distance from its trace. `hits` hits (two more per miss)
 * before `misses` misses accept.
 */
export async function testMembership(ctx: RecoveryContext, known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias' | 'points'> & { fixedColumns?: number[]; fixedStates?: number[]; closure?: number; pinning?: number }, options: MembershipOptions = {}): Promise<MembershipResult> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  const wantHits = options.hits ?? 4, maxMisses = options.misses ?? 3;
  const maxTests = options.maxTests ?? 16;
  const minDist = (options.minTraceDistance ?? 1) * tol.domainScale;
  const top = known.length - 1;
  const fixed = cand.fixedColumns ?? [], fixedStates = cand.fixedStates ?? [];
  const below = inactiveBelow(known, cand.points);
  const states = (x: Float64Array) => {
    const st = localState(known, x);
    return { pat: Array.from(st.zetas[top], (v) => (v > 0 ? 1 : 0)), quiet: top === 0 || below.every((i) => !(st.zetas[top - 1][i] > 0)) };
  };
  const pattern = (x: Float64Array) => states(x).pat;
  // The solution is exact only where the neurons that never changed state on the trace keep that
  // state, and where no layer-(k-2) neuron inactive on all of it is active (lambda is not seen there).
  const allowedAt = (x: Float64Array) => {
    const { pat, quiet } = states(x);
    return quiet && fixed.every((j, i) => pat[j] === fixedStates[i]) ? pat : undefined;
  };
  const tracePatterns = cand.points.map(pattern);
  const predicted: { c: PredictedCrossing; score: number; distance: number }[] = [];
  // Loops over one scratch difference (the same hypot arguments as before): this runs for every
  // predicted crossing against every trace point, ~10^5 times a layer.
  const diff = new Float64Array(n0);
  const consider = (a: Float64Array, b: Float64Array) => {
    for (const c of predictCrossings(known, cand, a, b)) {
      let distance = Infinity;
      for (const p of cand.points) {
        for (let i = 0; i < n0; i++) diff[i] = p[i] - c.point[i];
        distance = Math.min(distance, hypot(diff));
      }
      if (distance < minDist) continue;
      const pat = allowedAt(c.point);
      if (!pat) continue;
      let score = Infinity;
      for (const tp of tracePatterns) {
        let differ = 0;
        for (let j = 0; j < tp.length; j++) if (tp[j] !== pat[j]) differ++;
        score = Math.min(score, differ);
      }
      predicted.push({ c, score, distance });
    }
  };
  for (let s = 0; s < (options.segments ?? 24); s++) {
    const a = rng.gaussianArray(n0).map((v) => 2 * v * tol.domainScale);
    const b = rng.gaussianArray(n0).map((v) => 2 * v * tol.domainScale);
    consider(a, b);
  }
  // Inputs that never switched confine where the solution may be tested: scatter points around the
  // trace that keep them, and predict on segments between pairs of them (no queries).
  const localSegments = fixed.length > 0 && cand.points.length > 0 ? options.localSegments ?? 48 : 0;
  const cloud: Float64Array[] = [];
  for (let tries = 0; tries < 8 * localSegments && cloud.length < 2 * localSegments; tries++) {
    const p = cand.points[rng.nextInt(cand.points.length)];
    const r = ((1 + 3 * rng.nextDouble()) * tol.domainScale) / Math.sqrt(n0);
    const off = rng.gaussianArray(n0);
    const x = p.map((v, i) => v + r * off[i]);
    if (allowedAt(x)) cloud.push(x);
  }
  for (let s = 0; s + 1 < cloud.length; s += 2) consider(cloud[s], cloud[s + 1]);
  predicted.sort((x, y) => y.score - x.score || y.distance - x.distance);
  let hits = 0, misses = 0, inconclusive = 0, worstOffset = 0;
  // A solution is as exact far away as its point system is well posed (closure over pinning).
  const accuracy = cand.closure !== undefined && cand.pinning ? cand.closure / cand.pinning : 0;
  // Each miss asks for two more hits: a stray second kink in a window is rare, not impossible.
  const decided = () => hits >= wantHits + 2 * misses || misses >= maxMisses || hits + misses + inconclusive >= maxTests;
  const batch = options.batch ?? 1;
  for (let next = 0; next < predicted.length && !decided();) {
    // The fewest further tests that could decide: no more than the verdict may still need.
    const size = Math.max(1, Math.min(batch, predicted.length - next, wantHits + 2 * misses - hits, maxTests - hits - misses - inconclusive));
    const group = predicted.slice(next, next + size);
    next += size;
    const results = await Promise.all(group.map(({ c, distance }) => {
      const pass = Math.max(tol.farPass, 100 * accuracy * (tol.domainScale + distance));
      return probeBoundary(probe, c.point, c.normal, tol, pass, batch > 1);
    }));
    for (const [i, r] of results.entries()) {
      if (decided()) break;
      const { c, score, distance } = group[i];
      options.onTest?.({ result: r.result, score, distance, offset: r.offset, point: c.point });
      if (r.result === 'hit') {
        hits++;
        worstOffset = Math.max(worstOffset, Math.abs(r.offset ?? 0));
      } else if (r.result === 'flat') inconclusive++;
      else misses++;
    }
  }
  const verdict = misses >= maxMisses ? 'impostor' : hits >= wantHits + 2 * misses ? 'member' : 'inconclusive';
  return { verdict, hits, misses, inconclusive, worstOffset };
}
