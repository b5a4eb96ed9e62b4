import { findKinks, jumpNormal, regionJacobian, type Kink, type Segment } from '@relurec/geometry';
import { addScaled, dot, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import { localState, nearestKnownBoundary, type LocalState } from '../known/localState.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { solveCandidate, type CandidateSolution } from './solveCandidate.js';
import { candidateValue } from './Candidate.js';
import { farTest } from '../layer1/farTest.js';
import { probeBoundary } from './probeBoundary.js';

export interface TraceOptions {
  /** Stop after this many accepted crossings in a row that add no newly seen neuron. Default 10. */
  stallLimit?: number;
  /** Crossings attempted at most. Default 120. */
  maxCrossings?: number;
  /** Trace radius (input units). Default 3 sqrt(n0) domain scales, or 1.5 |seed| when larger. */
  radius?: number;
  /** Closure: sigma_min / sigma_max below this. Default 1e-8. */
  closeBelow?: number;
  /** Pinned: sigma_(n-1) / sigma_max above this. Default 1e-6. */
  pinAbove?: number;
  /** A fresh normal must lie within this of span(old normal, crossed gradient). Default 1e-5. */
  spanTolerance?: number;
  /** A check kink closer than this to the predicted plane (domain scales) skips the fresh normal. Default 1e-7. */
  tightCheck?: number;
  /**
   * A fresh normal at least every this many accepted crossings; 1 = at every crossing. Default 1:
   * 4 saved 25-40% of all queries on 2-hidden-layer nets but let one wrong neuron through
   * (10-10-10-1 carlini seed 2), there being no span test on chained crossings.
   */
  freshEvery?: number;
  /** Aim walks only at these layer-(k-1) neurons, and stop once all have changed state (extending a trace). */
  targets?: number[];
  /** How far past a crossed boundary the first kink search starts (domain scales). Default 1e-3. */
  crossingDepth?: number;
  /**
   * 'kinks' (default): one-kink crossings (section 4), columns already measured predicted and only
   * verified with a 4-query kink test; 'normals': a fresh Jacobian normal at every crossing (old).
   */
  method?: 'kinks' | 'normals';
  /** Boundary points beyond the unknowns before a determined trace stops ('kinks'). Default 4. */
  extraPoints?: number;
  /** Crossings spent walking towards one unseen neuron before giving it up ('kinks'). Default 12. */
  targetPatience?: number;
  /** Failed crossings after which a trace aimed at `targets` (an extension) gives up ('kinks'). Default 6. */
  maxFailures?: number;
  /** Fresh Jacobian normals a trace may take when crossings keep failing before its system is determined ('kinks'). Default 2. */
  maxRefreshes?: number;
  /** Predicted crossings in a row taken without a check once the point system is determined ('kinks'). Default 3. */
  maxUnchecked?: number;
  /**
   * The 4-query check of a predicted plane asks all four in one round trip: about a quarter fewer
   * round trips per trace, for one more query per missed prediction (a latency-bound black box).
   * Default false (fewest queries).
   */
  eagerChecks?: boolean;
  /**
   * After every failed crossing the plane is re-checked just before the crossed boundary (see
   * TraceResult.preChecks); the trace stops ('bent') once this many re-checks show it bent where no
   * known boundary is. 0 turns the re-checks off. Default 2.
   */
  maxBends?: number;
  /** Points of the seed's plane across its known region tested before the first crossing; one not there stops the trace ('bent'). Default 2. */
  seedChecks?: number;
  /** Walks that bent whose kinks are searched for (TraceResult.bends; ~10-20 queries each). Default 0. */
  bendKinks?: number;
  /** Diagnostics: called on every crossing attempt with its outcome. */
  onEvent?: (event: { kind: string; layer: number; neuron: number; detail?: string; data?: Record<string, Float64Array> }) => void;
}

export interface TraceResult {
  points: Float64Array[];
  /** Layer-(k-1) neurons seen changing state. */
  seen: Set<number>;
  crossings: number;
  failedCrossings: number;
  /** Accepted crossings whose plane was predicted from a measured column (4-query check only). */
  predicted?: number;
  /**
   * Failed crossings whose walk was re-checked just before the crossed boundary, inside the known
   * region the walk started in, where the plane must still hold: 'held' (it did: the crossing
   * failed for another reason), 'bent' (it did not, where the output is not constant: the boundary
   * bends where no known boundary is), 'blank' (the output is constant there: no evidence).
   */
  preChecks?: { held: number; bent: number; blank: number };
  /**
   * Failed crossings that measured a column, by what the kink search past the crossing saw: 'missed'
   * (unexplained kinks, none on a plane that the check confirmed: the boundary is not where a
   * layer-k boundary would be) and 'blank' (no kink at all: the boundary may be invisible there).
   */
  failures?: { missed: number; blank: number };
  /** Kinks on walks that bent inside one known region (not on known boundaries), with the walk's unit direction. */
  bends?: { point: Float64Array; direction: Float64Array }[];
  solution?: CandidateSolution;
  /** Why the trace stopped. */
  stop: 'pinned' | 'stall' | 'limit' | 'lost' | 'bent';
}

/**
 * Traces the boundary of one layer-k candidate across known boundaries (ALGORITHM.md section 4)
 * with one-kink crossings. The trace carries the candidate's pre-activation in the current region as
 * an unnormalised affine map (G, o), one scale along the whole trace. Crossing a layer-(k-1) boundary
 * B_j changes it by beta (g_j, a_j), and beta = c_j sign(zeta_j) on the far side: a column measured
 * once is PREDICTED at every later crossing and only verified with the 4-query kink test at a point of
 * the predicted plane away from B_j. A column not yet measured costs one kink search along a line
 * parallel to B_j just past the crossing (beta from that kink), then the same 4-query check, which
 * rejects kinks of other neurons. Every accepted crossing adds exact boundary points; once the point
 * system closes and is pinned, (G, o) and the c_j are re-read from its solution (no drift). Walks aim
 * at the nearest layer-(k-1) boundary not yet seen switching (or at `targets`), give a target up when
 * it is not reached, and the trace stops as soon as every column is seen (or given up) and the system
 * closes with `extraPoints` points to spare. Methods: 'normals' selects the older tracer (a Jacobian
 * normal at every crossing).
 */
export async function traceBoundary(
  ctx: RecoveryContext,
  known: readonly DenseLayer[],
  seed: { point: Float64Array; normal: Float64Array },
  options: TraceOptions = {},
): Promise<TraceResult> {
  if (options.method === 'normals') return traceBoundaryNormals(ctx, known, seed, options);
  const { probe, tol } = ctx;
  const n0 = probe.inputDim;
  const top = known.length - 1;
  const width = known[top].outDim;
  const stallLimit = options.stallLimit ?? 10;
  const maxCrossings = options.maxCrossings ?? 120;
  const radius = Math.max(options.radius ?? 3 * Math.sqrt(n0) * tol.domainScale, 1.5 * hypot(seed.point));
  const closeBelow = options.closeBelow ?? 1e-8;
  const pinAbove = options.pinAbove ?? 1e-6;
  const extraPoints = options.extraPoints ?? 4;
  const patience = options.targetPatience ?? 12;
  const unknowns = width + (top >= 1 ? known[top - 1].outDim : n0) + 1;
  const wanted = options.targets ?? Array.from({ length: width }, (_, j) => j);
  const ev = (kind: string, layer: number, neuron: number, detail?: string, data?: Record<string, Float64Array>) => options.onEvent?.({ kind, layer, neuron, detail, data });
  // Checks of predicted planes: the prediction is good to ~1e-8, so a window far narrower than the
  // far test's keeps other kinks out of it (a foreign kink in the window moves the found point).
  // Its pass tolerance is tight too: a point that passes at 1e-6 with another kink in the window is
  // 1e-6 off, and the walk that continues from it misses every later check.
  const checkWindow = Math.max(1e-4 * tol.domainScale, 100 * tol.farPass);
  const checkPass = Math.max(1e-8 * tol.domainScale, 1e-2 * tol.farPass);

  let G: Float64Array = Float64Array.from(seed.normal);
  let o = -dot(G, seed.point);
  const cKnown = new Map<number, number>();
  let x: Float64Array = Float64Array.from(seed.point);
  const points: Float64Array[] = [];
  const seen = new Set<number>();
  const givenUp = new Set<number>();
  let crossings = 0, failed = 0, stall = 0, target = -1, targetSteps = 0, targetFails = 0;
  // After a failed crossing the next step goes a random way: the same walk would fail the same way.
  let randomNext = false, predicted = 0, trusted = false, unchecked = 0, failsInARow = 0, refreshes = 0, refreshed = false;
  let last: { layer: number; neuron: number } | undefined;
  let solution: CandidateSolution | undefined;
  let stop: TraceResult['stop'] = 'limit';
  const gradOf = (s: LocalState, l: number, j: number) => s.grads[l].subarray(j * n0, (j + 1) * n0);
  const onKnown = (p: Float64Array) => onKnownBoundary(known, p, tol.domainScale);
  const unit = (v: Float64Array) => {
    const nv = hypot(v);
    return v.map((t) => t / nv);
  };
  const giveUp = (why: string) => {
    if (target < 0) return;
    givenUp.add(target);
    ev('target given up', top, target, why);
    target = -1;
  };
  /** A point of the plane (G2, o2) inside the region entered across B_j (into = sign of zeta_j there), away from B_j. */
  const checkPoint = (G2: Float64Array, o2: number, anchor: Float64Array, d: Float64Array, g: Float64Array, into: number): Float64Array | undefined => {
    const n2 = unit(G2), gn = hypot(g);
    let d2 = inPlane(addScaled(d, into / gn, g), n2);
    if (!d2 || into * dot(d2, g) <= 0) d2 = inPlane(g.map((v) => into * v), n2);
    if (!d2) return undefined;
    const base = addScaled(anchor, -(dot(G2, anchor) + o2) / dot(G2, G2), G2);
    const sAway = Math.min(0.5 * distanceAlong(localState(known, base), d2, gradOf), 0.5 * tol.domainScale);
    if (!(sAway > 0)) return undefined;
    const q = addScaled(base, sAway, d2);
    return addScaled(q, -(dot(G2, q) + o2) / dot(G2, G2), G2);
  };
  /** The 4-query kink test of the plane (G2, o2) at q: the exact boundary point, or undefined. */
  const verify = async (G2: Float64Array, q: Float64Array): Promise<Float64Array | undefined> => {
    const nU2 = unit(G2);
    let r = await farTest(probe, q, nU2, tol, { window: checkWindow, pass: tol.farPass, eager: options.eagerChecks === true });
    if (r.point && Math.abs(r.offset!) > checkPass) {
      // Off by more than a determined plane ever is (a plane still resting on a measured normal, far
      // out): exact only if no other kink shares the window, which two more queries confirm.
      r = await farTest(probe, q, nU2, tol, { window: checkWindow, pass: tol.farPass, confirm: true, eager: true });
    }
    if (options.onEvent) lastCheck = r.point ? `off ${r.offset!.toExponential(1)}` : 'missed';
    if (!r.point || onKnown(r.point)) return undefined;
    return r.point;
  };
  let lastCheck = '';
  const preChecks = { held: 0, bent: 0, blank: 0 };
  const outcomes = { missed: 0, blank: 0 };
  const bentWalks: { from: Float64Array; to: Float64Array; n: Float64Array }[] = [];
  const resolve = () => {
    solution = solveCandidate(known, points);
    const determined = solution.closure < closeBelow && solution.pinning > pinAbove && solution.droppedPoints.length === 0;
    trusted = determined && solution.closure < 1e-12;
    if (determined) {
      // Re-read the local map and the measured columns from the exact points: no drift.
      const { value, gradient } = candidateValue(known, solution, x);
      if (hypot(gradient) > 0) {
        G = gradient;
        o = value - dot(gradient, x);
        cKnown.clear();
        for (const j of seen) cKnown.set(j, solution.c[j]);
      }
    }
    return determined;
  };

  // The seed was re-placed on a long sampling segment (once 3e-8 off): re-locate it exactly along
  // its normal (with confirmation); if that fails, walk from it but keep it out of the system.
  {
    const r = await farTest(probe, seed.point, unit(G), tol, { confirm: true, eager: true });
    if (r.point && !onKnown(r.point)) {
      x = r.point;
      o = -dot(G, x);
      points.push(r.point);
    } else ev('seed not confirmed', -1, -1);
  }
  // Before any crossing: the seed's plane must hold across its whole known region. A deeper
  // neuron's boundary often leaves its region of layer k inside it (it bends on an unknown
  // boundary): found here for ~30 queries instead of after a stalled trace.
  for (let c = 0; c < (points.length > 0 ? options.seedChecks ?? 2 : 0) && stop !== 'bent'; c++) {
    const nU = unit(G);
    const d = inPlane(ctx.rng.gaussianArray(n0), nU);
    if (!d) break;
    const reach = distanceAlong(localState(known, x), d, gradOf);
    if (!Number.isFinite(reach) || reach < 1e-3 * tol.domainScale) continue;
    const q0 = addScaled(x, 0.9 * Math.min(reach, radius), d);
    const q = addScaled(q0, -(dot(G, q0) + o) / dot(G, G), G);
    const r = await probeBoundary(probe, q, nU, tol);
    if (r.result === 'hit') preChecks.held++;
    else if (r.result === 'flat') preChecks.blank++;
    else {
      preChecks.bent++;
      bentWalks.push({ from: x, to: q, n: nU });
      stop = 'bent';
    }
    if (options.onEvent) ev('seed check', -1, -1, r.result, { q, n: nU });
  }
  while (stop !== 'bent' && crossings + failed < maxCrossings) {
    const s = localState(known, x);
    const nU = unit(G);
    let d: Float64Array | undefined;
    if (hypot(x) > radius) {
      giveUp('left the trace radius');
      d = inPlane(x.map((v) => -v), nU);
    } else {
      if (target >= 0 && (seen.has(target) || targetSteps >= patience)) {
        if (!seen.has(target)) giveUp(`not reached in ${targetSteps} crossings`);
        target = -1;
      }
      if (target < 0) {
        // The nearest boundary (first order, along the candidate's plane) of a neuron not yet seen.
        let best = Infinity;
        for (const j of wanted) {
          if (seen.has(j) || givenUp.has(j)) continue;
          const g = gradOf(s, top, j);
          const gp = hypot(addScaled(g, -dot(g, nU), nU));
          if (!(gp > 1e-12)) continue;
          const dist = Math.abs(s.zetas[top][j]) / gp;
          if (dist < best) { best = dist; target = j; }
        }
        targetSteps = 0;
        targetFails = 0;
      }
      if (target >= 0) {
        const g = gradOf(s, top, target);
        let v = inPlane(g.map((gi) => -Math.sign(s.zetas[top][target]) * gi), nU);
        if (v && last && !(last.layer === top && last.neuron === target)) {
          // Do not walk straight back across the boundary just crossed.
          const gl = gradOf(s, last.layer, last.neuron);
          const back = -Math.sign(s.zetas[last.layer][last.neuron]) * dot(gl, v);
          if (back > 0) v = inPlane(addScaled(v, -dot(gl, v) / dot(gl, gl), gl), nU) ?? v;
        }
        d = v;
        if (!d) giveUp('parallel to the plane');
      }
    }
    if (!d || randomNext) d = inPlane(ctx.rng.gaussianArray(n0), nU);
    randomNext = false;
    if (!d) { stop = 'lost'; break; }

    // First known boundary along d (exact within the region: all zetas are affine there).
    let sBest = Infinity, lBest = -1, jBest = -1, sNext = Infinity;
    s.zetas.forEach((z, l) => {
      for (let j = 0; j < z.length; j++) {
        const rate = dot(gradOf(s, l, j), d!);
        if (rate === 0 || z[j] * rate >= 0) continue;
        const sj = -z[j] / rate;
        if (sj < sBest) { sNext = sBest; sBest = sj; lBest = l; jBest = j; } else if (sj < sNext) sNext = sj;
      }
    });
    if (!Number.isFinite(sBest) || sBest > 2 * radius) {
      failed++;
      ev('no boundary ahead', lBest, jBest);
      randomNext = true;
      giveUp('no boundary ahead');
      if (++stall >= stallLimit) { stop = 'stall'; break; }
      continue;
    }
    targetSteps++;
    const eps = Math.min((options.crossingDepth ?? 1e-3) * tol.domainScale, 0.25 * (sNext - sBest));
    if (!(eps > 1e-7 * tol.domainScale)) {
      // Two known boundaries crossed at once (the walk runs into where they meet): no room for a
      // kink search past them. Another way, at no cost.
      failed++;
      randomNext = true;
      ev('crossing degenerate', lBest, jBest);
      if (++stall >= stallLimit) { stop = 'stall'; break; }
      continue;
    }
    const xCross = addScaled(x, sBest + eps, d);
    const after = localState(known, xCross);
    const g = Float64Array.from(gradOf(after, lBest, jBest));
    const zj = after.zetas[lBest][jBest];
    const aj = zj - dot(g, xCross);
    const into = Math.sign(zj);
    let lastDetail = '';
    let sawKinks = false, measuredTry = false;
    let accepted: { G: Float64Array; o: number; pts: Float64Array[]; measured: boolean; at?: Float64Array } | undefined;
    // A column measured before: the new plane is predicted, and one kink test checks it.
    if (lBest === top && cKnown.has(jBest)) {
      const beta = cKnown.get(jBest)! * into;
      const G2 = addScaled(G, beta, g), o2 = o + beta * aj;
      const q = checkPoint(G2, o2, xCross, d, g, into);
      if (q && trusted && unchecked < (options.maxUnchecked ?? 3)) {
        // The point system is determined and closes: its prediction is exact to ~1e-12, so the
        // walk moves on without a query (the next measured crossing's check tests it again).
        accepted = { G: G2, o: o2, pts: [], measured: false, at: q };
        unchecked++;
      } else {
        const hit = q && (await verify(G2, q));
        if (hit) accepted = { G: G2, o: -dot(G2, hit), pts: [hit], measured: false };
        else ev('prediction missed', lBest, jBest);
        unchecked = 0;
      }
    }
    if (!accepted) {
      // One kink search along e, parallel to B_j, from just past the crossing (window kept inside
      // the known region where possible: then z's kink is usually the only one on it).
      const gh = unit(g);
      const e = addScaled(nU, -dot(nU, gh), gh);
      const ne = hypot(e);
      if (ne < 0.05) {
        failed++;
        ev('crossing parallel', lBest, jBest);
        randomNext = true;
        if (jBest === target && ++targetFails >= 2) giveUp('parallel crossings');
        if (++stall >= stallLimit) { stop = 'stall'; break; }
        continue;
      }
      for (let i = 0; i < n0; i++) e[i] /= ne;
      measuredTry = true;
      const room = Math.min(distanceAlong(after, e, gradOf), distanceAlong(after, e.map((v) => -v), gradOf));
      const wMax = 2e-2 * tol.domainScale;
      // beta from one kink on the line; the check at a second point of the plane it gives decides.
      const tryKinks = async (cands: Float64Array[]) => {
        for (const k1 of cands) {
          const zk = zj + dot(g, k1) - dot(g, xCross);
          const beta = -(dot(G, k1) + o) / zk;
          const G2 = addScaled(G, beta, g), o2 = o + beta * aj;
          const q = checkPoint(G2, o2, k1, d, g, into);
          const hit = q && (await verify(G2, q));
          if (!hit) continue;
          // Re-fit beta on the check point (farther from B_j: zeta_j larger, beta more exact).
          const zq = zj + dot(g, hit) - dot(g, xCross);
          const b2 = -(dot(G, hit) + o) / zq;
          accepted = { G: addScaled(G, b2, g), o: o + b2 * aj, pts: [k1, hit], measured: true };
          if (lBest === top) cKnown.set(jBest, b2 * into);
          return true;
        }
        return false;
      };
      let done = false;
      if (room > 2e-3 * tol.domainScale) {
        // Inside the known region z's kink is usually the only one on the line: the 4-query
        // two-line test locates it (the check that follows rejects a wrong one).
        const wq = Math.min(0.9 * room, wMax);
        const r = await farTest(probe, xCross, e, tol, { window: wq, pass: 0.5 * wq, eager: true });
        if (r.point && !onKnown(r.point)) {
          sawKinks = true;
          done = await tryKinks([r.point]);
        }
      }
      for (const w of done ? [] : room > 2e-3 * tol.domainScale && 0.9 * room < wMax ? [0.9 * room, wMax] : [wMax]) {
        const { kinks } = await findKinks(probe, { origin: xCross, direction: e, t0: -w, t1: w }, { tolerance: tol.value });
        const cands = kinks.filter((k) => !onKnown(k.point)).sort((a, b) => Math.abs(a.t) - Math.abs(b.t)).slice(0, 3);
        if (cands.length > 0) sawKinks = true;
        if (options.onEvent) lastDetail = `room ${room.toExponential(1)} w ${w.toExponential(1)} kinks ${kinks.map((k) => k.t.toExponential(1) + (onKnown(k.point) ? 'K' : '')).join(',')} zj ${zj.toExponential(1)} |x| ${hypot(x).toFixed(1)} check ${lastCheck}`;
        if ((await tryKinks(cands.map((k) => k.point))) || cands.length > 0) break;
      }
    }
    if (!accepted && (options.maxBends ?? 2) > 0) {
      // The walk from x to B_j stays in one known region, where the plane (G, o) must hold all
      // along: a layer-k boundary bends only on known boundaries. Not there (and the output not
      // constant there, see probeBoundary) means it bent where the known layers have no boundary:
      // a deeper neuron leaving its region of layer k, or a missing neuron of a known layer.
      const q0 = addScaled(x, 0.9 * sBest, d);
      const q = addScaled(q0, -(dot(G, q0) + o) / dot(G, G), G);
      const r = await probeBoundary(probe, q, unit(G), tol);
      // A plane from a fresh normal that no crossing has confirmed yet proves nothing by failing.
      if (r.result === 'hit') preChecks.held++;
      else if (r.result === 'flat' || refreshed) preChecks.blank++;
      else {
        preChecks.bent++;
        bentWalks.push({ from: x, to: q, n: unit(G) });
      }
      if (options.onEvent) {
        lastDetail += ` pre ${r.result}${r.offset !== undefined ? ' ' + r.offset.toExponential(1) : ''}`;
        ev('pre-check', lBest, jBest, r.result, { q, n: unit(G) });
      }
    }
    if (!accepted) {
      failed++;
      if (measuredTry) {
        if (sawKinks) outcomes.missed++;
        else outcomes.blank++;
      }
      ev('crossing failed', lBest, jBest, lastDetail);
      randomNext = true;
      if (jBest === target && ++targetFails >= 2) giveUp('crossings failed');
      if (++failsInARow >= 2 && !trusted && refreshes < (options.maxRefreshes ?? 2)) {
        // Crossings keep failing from a plane nothing has confirmed (a seed normal measured across
        // two kinks, a beta from a stray kink): one fresh normal at the current exact point.
        refreshes++;
        failsInARow = 0;
        const fresh = await measureNormal(ctx, known, x, unit(G));
        if (fresh) {
          const gN = hypot(G), sg = Math.sign(dot(fresh, G)) || 1;
          G = fresh.map((v) => sg * gN * v);
          o = -dot(G, x);
          refreshed = true;
          ev('fresh normal', -1, -1);
        }
      }
      if (preChecks.bent >= (options.maxBends ?? 2)) { stop = 'bent'; break; }
      if (++stall >= stallLimit || (options.targets && failed >= (options.maxFailures ?? 6))) { stop = 'stall'; break; }
      continue;
    }
    failsInARow = 0;
    refreshed = false;
    G = accepted.G;
    o = accepted.o;
    points.push(...accepted.pts);
    x = accepted.at ?? accepted.pts[accepted.pts.length - 1];
    last = { layer: lBest, neuron: jBest };
    crossings++;
    ev(accepted.measured ? 'crossed (measured)' : 'crossed (predicted)', lBest, jBest);
    if (!accepted.measured) predicted++;
    if (lBest === top && !seen.has(jBest)) {
      seen.add(jBest);
      if (!options.targets || options.targets.includes(jBest)) stall = 0; else stall++;
    } else stall++;
    if (options.targets && options.targets.every((j) => seen.has(j))) { stop = 'pinned'; break; }
    if (options.targets && options.targets.every((j) => seen.has(j) || givenUp.has(j))) { stop = 'stall'; break; }
    const open = wanted.filter((j) => !seen.has(j) && !givenUp.has(j)).length;
    if (points.length >= Math.min(unknowns, 2 * seen.size + n0) - 1 && (crossings % 3 === 0 || open === 0 || accepted.measured)) {
      const determined = resolve();
      if (determined && open === 0 && points.length >= unknowns - (width - seen.size) + extraPoints) { stop = 'pinned'; break; }
    }
    if (stall >= stallLimit && open === 0) { stop = 'stall'; break; }
    if (stall >= 3 * stallLimit) { stop = 'stall'; break; }
  }
  if (points.length > 1) solution = solveCandidate(known, points);
  // Where a walk bent inside one known region, an unknown boundary crosses it (section 7: a deeper
  // neuron's region ends there, or a known layer misses a neuron): its kinks, just off the plane.
  const bends: { point: Float64Array; direction: Float64Array }[] = [];
  for (const w of bentWalks.slice(0, options.bendKinks ?? 0)) {
    const off = 1e-3 * tol.domainScale;
    const a = addScaled(w.from, off, w.n), b = addScaled(w.to, off, w.n);
    const dir = b.map((v, i) => v - a[i]);
    const { kinks } = await findKinks(probe, { origin: a, direction: dir, t0: 0, t1: 1 }, { tolerance: tol.value });
    const len = hypot(dir);
    for (const k of kinks) if (!onKnown(k.point)) bends.push({ point: k.point, direction: dir.map((v) => v / len) });
  }
  return { points, seen, crossings, failedCrossings: failed, predicted, preChecks, failures: outcomes, bends, solution, stop };
}

/**
 * Traces the boundary of one layer-k candidate across known boundaries (ALGORITHM.md section 4):
 * inside a region its boundary is a plane; walk in the plane to the nearest known boundary B_j,
 * cross it, and find the bent plane with ONE kink search along a line parallel to B_j (the new plane
 * contains the flat where the old one meets B_j), started a little past B_j (crossingDepth) so that
 * zeta_j there is not tiny; then check a second point of the predicted plane, away from B_j and into
 * the new region, with a short kink search, and measure a fresh normal there (2(n0 + 2) queries),
 * which must lie in span(old normal, grad zeta_j): chained planes would carry the seed normal's
 * error, and the span test rejects kinks of other neurons. Kinks on known boundaries are never
 * taken. About 35-45 queries per accepted crossing. Walks aim at layer-(k-1) neurons not yet seen
 * changing state (or at `targets`).
 */
export async function traceBoundaryNormals(
  ctx: RecoveryContext,
  known: readonly DenseLayer[],
  seed: { point: Float64Array; normal: Float64Array },
  options: TraceOptions = {},
): Promise<TraceResult> {
  const { probe, tol } = ctx;
  const n0 = probe.inputDim;
  const top = known.length - 1;
  const width = known[top].outDim;
  const stallLimit = options.stallLimit ?? 10;
  const maxCrossings = options.maxCrossings ?? 120;
  const radius = Math.max(options.radius ?? 3 * Math.sqrt(n0) * tol.domainScale, 1.5 * hypot(seed.point));
  const closeBelow = options.closeBelow ?? 1e-8;
  const pinAbove = options.pinAbove ?? 1e-6;
  const spanTol = options.spanTolerance ?? 1e-5;

  let normal: Float64Array = Float64Array.from(seed.normal);
  let offset = -dot(normal, seed.point);
  let x: Float64Array = Float64Array.from(seed.point);
  const points: Float64Array[] = [Float64Array.from(seed.point)];
  const seen = new Set<number>();
  let crossings = 0, failed = 0, stall = 0, targetCursor = 0, lastFresh = 0;
  let last: { layer: number; neuron: number } | undefined;
  let solution: CandidateSolution | undefined;
  let stop: TraceResult['stop'] = 'limit';

  // A kink on a known boundary (exact to ~1e-14) is never z's: the trace would jump onto it.
  const onKnown = (p: Float64Array) => onKnownBoundary(known, p, tol.domainScale);
  const nearestUnexplained = (ks: Kink[]) => ks.filter((k) => !onKnown(k.point)).reduce<Kink | undefined>((a, b) => (!a || Math.abs(b.t) < Math.abs(a.t) ? b : a), undefined);
  const gradOf = (s: LocalState, l: number, j: number) => s.grads[l].subarray(j * n0, (j + 1) * n0);

  while (crossings + failed < maxCrossings) {
    const s = localState(known, x);
    // Direction in the plane: towards an unseen layer-(k-1) neuron's boundary, or home when far out.
    let d: Float64Array | undefined;
    if (hypot(x) > radius) {
      d = inPlane(x.map((v) => -v), normal);
    } else {
      const unseen = (options.targets ?? Array.from({ length: width }, (_, j) => j)).filter((j) => !seen.has(j));
      const pool = unseen.length > 0 ? unseen : Array.from({ length: width }, (_, j) => j);
      for (let tries = 0; tries < pool.length && !d; tries++) {
        const j = pool[(targetCursor + tries) % pool.length];
        const g = gradOf(s, top, j);
        let v = inPlane(g.map((gi) => -Math.sign(s.zetas[top][j]) * gi), normal);
        // Do not walk straight back across the boundary just crossed.
        if (v && last) {
          const gl = gradOf(s, last.layer, last.neuron);
          const back = -Math.sign(s.zetas[last.layer][last.neuron]) * dot(gl, v);
          if (back > 0) v = inPlane(addScaled(v, -dot(gl, v) / dot(gl, gl), gl), normal);
        }
        if (v) d = v;
      }
      targetCursor++;
    }
    if (!d) d = inPlane(ctx.rng.gaussianArray(n0), normal);
    if (!d) { stop = 'lost'; break; }

    // First known boundary along d (exact within the region: all zetas are affine there).
    let sBest = Infinity, lBest = -1, jBest = -1, sNext = Infinity;
    s.zetas.forEach((z, l) => {
      for (let j = 0; j < z.length; j++) {
        const rate = dot(gradOf(s, l, j), d!);
        if (rate === 0 || z[j] * rate >= 0) continue;
        const sj = -z[j] / rate;
        if (sj < sBest) { sNext = sBest; sBest = sj; lBest = l; jBest = j; } else if (sj < sNext) sNext = sj;
      }
    });
    if (!Number.isFinite(sBest) || sBest > 2 * radius) { failed++; options.onEvent?.({ kind: 'no boundary ahead', layer: lBest, neuron: jBest }); stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
    // Far enough past B_j that zeta_j(x') is not tiny: beta = offset error / zeta_j, and the
    // offset of the old plane is carried over the walk.
    const eps = Math.min((options.crossingDepth ?? 1e-3) * tol.domainScale, 0.25 * (sNext - sBest));
    const xCross = addScaled(x, sBest + eps, d);
    const after = localState(known, xCross);
    const g = gradOf(after, lBest, jBest);
    const gn = hypot(g);
    const gh = g.map((v) => v / gn);
    const e = addScaled(normal, -dot(normal, gh), gh);
    const ne = hypot(e);
    if (ne < 0.05) { failed++; options.onEvent?.({ kind: 'crossing parallel', layer: lBest, neuron: jBest }); stall++; continue; }
    for (let i = 0; i < n0; i++) e[i] /= ne;
    // One kink search along e, parallel to B_j, from just past the crossing.
    const w = 2e-2 * tol.domainScale;
    const seg: Segment = { origin: xCross, direction: e, t0: -w, t1: w };
    const { kinks } = await findKinks(probe, seg, { tolerance: tol.value });
    if (kinks.length === 0) { failed++; options.onEvent?.({ kind: 'no kink past crossing', layer: lBest, neuron: jBest }); stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
    const k1 = nearestUnexplained(kinks);
    if (!k1) { failed++; options.onEvent?.({ kind: 'only known kinks past crossing', layer: lBest, neuron: jBest }); stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
    const zj = after.zetas[lBest][jBest];
    const aj = zj - dot(g, xCross);
    const beta = -((dot(normal, k1.point) + offset)) / (zj + dot(g, k1.point) - dot(g, xCross));
    const n2 = addScaled(normal, beta, g);
    const o2 = offset + beta * aj;
    // Check a second point of the predicted plane, away from B_j, and re-fit beta from it.
    // Check direction: in the new plane and INTO the new region (projecting d onto the new plane
    // can turn it back across B_j when beta (g_j . n) < -1).
    const into = Math.sign(zj);
    let d2 = inPlane(addScaled(d, into / gn, g), n2);
    if (!d2 || into * dot(d2, g) <= 0) d2 = inPlane(g.map((v) => into * v), n2);
    if (!d2) { failed++; stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
    const sAway = Math.min(0.5 * distanceAlong(localState(known, k1.point), d2, gradOf), 0.5 * tol.domainScale);
    const q = addScaled(k1.point, sAway, d2);
    const nn2 = hypot(n2);
    const qOn = addScaled(q, -(dot(n2, q) + o2) / (nn2 * nn2), n2);
    const w2 = 5e-3 * tol.domainScale;
    const check = await findKinks(probe, { origin: qOn, direction: n2.map((v) => v / nn2), t0: -w2, t1: w2 }, { tolerance: tol.value });
    const hit = nearestUnexplained(check.kinks);
    if (!hit || Math.abs(hit.t) > 0.2 * w2) { failed++; options.onEvent?.({ kind: 'check missed', layer: lBest, neuron: jBest, detail: `kinks ${check.kinks.map((kk) => kk.t.toExponential(1) + (onKnown(kk.point) ? 'K' : '')).join(',')} beta ${beta.toExponential(2)} sAway ${sAway.toExponential(1)} k1 ${k1.t.toExponential(1)} s ${sBest.toExponential(1)}`, data: { qOn, n2: n2.map((v) => v / nn2), k1: k1.point, x, xCross } }); stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
    // A fresh normal at the check point: chained planes would carry the seed normal's error, and
    // z's new normal must lie in span(old normal, g_j), which rejects a kink of another neuron.
    // A check hit within tightCheck of the prediction already confirms the plane: re-anchor beta on
    // it and chain, with a fresh normal at least every freshEvery crossings (queries: ~12 vs ~36).
    const tight = Math.abs(hit.t) < (options.tightCheck ?? 1e-7) * tol.domainScale;
    const freshEvery = options.freshEvery ?? 1;
    if (tight && freshEvery > 1 && crossings - lastFresh < freshEvery) {
      const zq = zj + dot(g, hit.point) - dot(g, xCross);
      const b2 = -(dot(normal, hit.point) + offset) / zq;
      const m2 = addScaled(normal, b2, g), mn = hypot(m2);
      offset = (offset + b2 * (zj - dot(g, xCross))) / mn;
      normal = m2.map((v) => v / mn);
    } else {
      const fresh = await measureNormal(ctx, known, hit.point, n2.map((v) => v / nn2));
      if (!fresh || spanResidual(fresh, normal, g) > spanTol) { failed++; options.onEvent?.({ kind: 'normal off span', layer: lBest, neuron: jBest }); stall++; if (stall >= stallLimit) { stop = 'stall'; break; } continue; }
      normal = fresh;
      offset = -dot(fresh, hit.point);
      lastFresh = crossings + 1;
    }
    points.push(k1.point, hit.point);
    x = hit.point;
    last = { layer: lBest, neuron: jBest };
    crossings++;
    options.onEvent?.({ kind: 'crossed', layer: lBest, neuron: jBest });
    if (lBest === top && !seen.has(jBest)) {
      seen.add(jBest);
      if (!options.targets || options.targets.includes(jBest)) stall = 0; else stall++;
    } else stall++;
    if (options.targets && options.targets.every((j) => seen.has(j))) { stop = 'pinned'; break; }

    if (crossings % 2 === 0 || seen.size === width) {
      solution = solveCandidate(known, points);
      if (solution.pinning > pinAbove && solution.closure < closeBelow && seen.size === width) { stop = 'pinned'; break; }
    }
    if (stall >= stallLimit) { stop = 'stall'; break; }
  }
  if (points.length > 1) solution = solveCandidate(known, points);
  return { points, seen, crossings, failedCrossings: failed, solution, stop };
}

/**
 * Unit normal of the boundary through p (crossed along u) from the Jacobians on both sides
 * (ALGORITHM.md 2.4), with steps kept inside the known region around p; undefined on failure.
 */
export async function measureNormal(ctx: RecoveryContext, known: readonly DenseLayer[], p: Float64Array, u: Float64Array): Promise<Float64Array | undefined> {
  const { probe, tol } = ctx;
  const dKnown = nearestKnownBoundary(localState(known, p)).distance;
  const tau = Math.min(1e-2 * tol.domainScale, 0.3 * dKnown);
  const step = 0.3 * tau;
  try {
    const [JA, JB] = await Promise.all([
      regionJacobian(probe, addScaled(p, -tau, u), { step, tolerance: tol.value }),
      regionJacobian(probe, addScaled(p, tau, u), { step, tolerance: tol.value }),
    ]);
    const { normal, jump } = jumpNormal(JA.jacobian, JB.jacobian, probe.outputDim, probe.inputDim, u);
    // Where the output is (nearly) constant on both sides there is no boundary to measure: the
    // 'normal' would be rounding noise, and every plane chained from it wrong.
    if (hypot(jump) * step < 10 * tol.value) return undefined;
    return normal;
  } catch {
    return undefined;
  }
}

/** Distance of the unit vector v from span(a, b) (a unit). */
function spanResidual(v: Float64Array, a: Float64Array, b: Float64Array): number {
  const bp = addScaled(b, -dot(b, a), a);
  const bn = hypot(bp);
  let r = addScaled(v, -dot(v, a), a);
  if (bn > 1e-12) r = addScaled(r, -dot(r, bp) / (bn * bn), bp);
  return hypot(r);
}

/** Distance along the unit direction d from the state's point to the first known boundary ahead. */
function distanceAlong(s: LocalState, d: Float64Array, gradOf: (s: LocalState, l: number, j: number) => Float64Array): number {
  let best = Infinity;
  s.zetas.forEach((z, l) => {
    for (let j = 0; j < z.length; j++) {
      const rate = dot(gradOf(s, l, j), d);
      if (rate === 0 || z[j] * rate >= 0) continue;
      best = Math.min(best, -z[j] / rate);
    }
  });
  return best;
}

/** v projected onto the plane with unit normal n, normalised; undefined when ~0. */
function inPlane(v: ArrayLike<number>, n: Float64Array): Float64Array | undefined {
  const out = addScaled(v, -dot(v, n), n);
  const len = hypot(out);
  if (!(len > 1e-9)) return undefined;
  for (let i = 0; i < out.length; i++) out[i] /= len;
  return out;
}

/**
 * p is on a known boundary: some known neuron's |zeta| is below 1e-10 domain scales times its
 * gradient norm. Loops, not arrays of every neuron: the traces ask this for every point they find.
 */
function onKnownBoundary(known: readonly DenseLayer[], p: Float64Array, domainScale: number): boolean {
  const st = localState(known, p), n0 = p.length;
  for (let l = 0; l < st.zetas.length; l++) {
    const z = st.zetas[l], g = st.grads[l];
    for (let j = 0; j < z.length; j++) if (Math.abs(z[j]) < 1e-10 * domainScale * hypot(g.subarray(j * n0, (j + 1) * n0))) return true;
  }
  return false;
}
