import { addScaled, dot, hypot } from '@relurec/linalg';
import type { DenseLayer } from '@relurec/network';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { probeBoundary } from './probeBoundary.js';
import { localState } from '../known/localState.js';
import { candidateValue, inactiveBelow, type Candidate } from './Candidate.js';

type Fit = Pick<Candidate, 'c' | 'lambda' | 'bias'>;

export interface PredictedWalkOptions {
  /** The walk stays inside this ball (input units). */
  radius: number;
  /** Inputs that must keep their state (index into the top known layer, and that state, 0 or 1). */
  fixed: readonly number[];
  fixedStates: readonly number[];
  /** Neurons of the layer below the top known one that must stay inactive (see inactiveBelow). Default none. */
  inactiveBelow?: readonly number[];
  /** Known regions crossed at most (a walk into a corner creeps on with ever smaller steps). Default 150. */
  maxSteps?: number;
  /** Distance kept from the target boundary (input units). Default 1e-2. */
  margin?: number;
}

export type PredictedWalk =
  | { kind: 'reached'; point: Float64Array; normal: Float64Array }
  | { kind: 'far' | 'blocked' | 'stuck' };

/**
 * Walks the candidate's PREDICTED boundary (the known layers and its solution; no queries) from a
 * boundary point towards the boundary of input `column` of the top known layer, straight within
 * each known region (the direction that brings that input's pre-activation to zero fastest inside
 * the local plane, turned along the boundary just crossed when it points back across it), until it
 * is `margin` short of it. |zeta_column| falls strictly along the walk, so it never cycles. 'blocked': another fixed input would change state first (outside the set
 * where the solution is exact); 'far': the walk leaves the radius or runs parallel; 'stuck': a
 * corner, or too many regions. The returned point lies on the predicted boundary, with its unit
 * normal there.
 */
export function walkPredictedBoundary(known: readonly DenseLayer[], cand: Fit, from: Float64Array, column: number, options: PredictedWalkOptions): PredictedWalk {
  const top = known.length - 1;
  const n0 = from.length;
  const margin = options.margin ?? 1e-2;
  let x: Float64Array = Float64Array.from(from);
  let last: { l: number; i: number } | undefined;
  for (let step = 0; step < (options.maxSteps ?? 150); step++) {
    const onPlane = (p: Float64Array) => {
      const { value, gradient } = candidateValue(known, cand, p);
      const g2 = dot(gradient, gradient);
      return g2 > 0 ? { p: addScaled(p, -value / g2, gradient), G: gradient } : undefined;
    };
    const here = onPlane(x);
    if (!here) return { kind: 'stuck' };
    x = here.p;
    const st = localState(known, x);
    const G = candidateValue(known, cand, x).gradient;
    const gn = hypot(G);
    if (!(gn > 0)) return { kind: 'stuck' };
    const nU = G.map((v) => v / gn);
    const gj = st.grads[top].subarray(column * n0, (column + 1) * n0);
    const zj = st.zetas[top][column];
    const want: Float64Array = gj.map((v) => -Math.sign(zj) * v);
    let d = addScaled(want, -dot(want, nU), nU);
    if (last) {
      // Not straight back across the boundary just crossed (the walk would zig-zag across it in
      // ever smaller steps): along it instead, inside the plane.
      const gl = st.grads[last.l].subarray(last.i * n0, (last.i + 1) * n0);
      if (-Math.sign(st.zetas[last.l][last.i]) * dot(gl, d) > 0) {
        const t = addScaled(gl, -dot(gl, nU), nU);
        const tt = dot(t, t);
        if (tt > 0) d = addScaled(d, -dot(d, t) / tt, t);
      }
    }
    const dn = hypot(d);
    if (!(dn > 1e-9 * hypot(gj))) return { kind: 'far' };
    for (let i = 0; i < n0; i++) d[i] /= dn;
    let sBest = Infinity, lBest = -1, iBest = -1, sNext = Infinity;
    st.zetas.forEach((z, l) => {
      for (let i = 0; i < z.length; i++) {
        const rate = dot(st.grads[l].subarray(i * n0, (i + 1) * n0), d);
        if (rate === 0 || z[i] * rate >= 0) continue;
        const s = -z[i] / rate;
        if (s < sBest) { sNext = sBest; sBest = s; lBest = l; iBest = i; } else if (s < sNext) sNext = s;
      }
    });
    last = { l: lBest, i: iBest };
    if (!Number.isFinite(sBest) || hypot(addScaled(x, sBest, d)) > options.radius) return { kind: 'far' };
    if (lBest === top && iBest === column) {
      const back = Math.min(margin, 0.5 * sBest);
      const q = onPlane(addScaled(x, sBest - back, d));
      if (!q) return { kind: 'stuck' };
      const qn = hypot(q.G);
      return { kind: 'reached', point: q.p, normal: q.G.map((v) => v / qn) };
    }
    if (lBest === top && options.fixed.includes(iBest)) return { kind: 'blocked' };
    if (lBest === top - 1 && options.inactiveBelow?.includes(iBest)) return { kind: 'blocked' };
    const eps = Math.min(1e-6 * options.radius, 0.5 * (sNext - sBest));
    if (!(eps > 1e-12 * options.radius)) return { kind: 'stuck' };
    x = addScaled(x, sBest + eps, d);
  }
  return { kind: 'stuck' };
}

/**
 * The same target as walkPredictedBoundary by Newton steps on the two piecewise-linear conditions
 * (candidate value 0, input `column` at `margin` short of its boundary): each step is the
 * minimal-norm move that solves both in the current region, backtracked when it does not get
 * closer. Where the walk creeps into a corner (it descends |zeta_column| one region at a time and
 * zig-zags on a ridge of two boundaries: every walk of a 10-20-20-20-1 layer-3 neuron ended so),
 * the straight step goes through. The end point is checked as the walk is: other fixed inputs in
 * their states, the layer below's quiet neurons quiet, inside the radius.
 */
export function projectOntoColumn(known: readonly DenseLayer[], cand: Fit, from: Float64Array, column: number, options: PredictedWalkOptions): PredictedWalk {
  const top = known.length - 1;
  const n0 = from.length;
  const margin = options.margin ?? 1e-2;
  const state0 = localState(known, from).zetas[top][column];
  const side = Math.sign(state0) || -1;
  const residual = (x: Float64Array) => {
    const st = localState(known, x);
    const { value, gradient: G } = candidateValue(known, cand, x);
    const gj = st.grads[top].subarray(column * n0, (column + 1) * n0);
    const gjn = hypot(gj), gn = hypot(G);
    const zj = st.zetas[top][column];
    const r1 = -value, r2 = side * margin * gjn - zj;
    return { st, G, gj, r1, r2, merit: (gn > 0 ? Math.abs(r1) / gn : Infinity) + (gjn > 0 ? Math.abs(r2) / gjn : Infinity) };
  };
  let x: Float64Array = Float64Array.from(from);
  let cur = residual(x);
  for (let it = 0; it < 40 && cur.merit > 1e-9 * margin; it++) {
    const a11 = dot(cur.G, cur.G), a12 = dot(cur.G, cur.gj), a22 = dot(cur.gj, cur.gj);
    const det = a11 * a22 - a12 * a12;
    if (!(det > 1e-12 * a11 * a22)) return { kind: 'stuck' };
    const y1 = (a22 * cur.r1 - a12 * cur.r2) / det, y2 = (a11 * cur.r2 - a12 * cur.r1) / det;
    const step = new Float64Array(n0);
    for (let i = 0; i < n0; i++) step[i] = y1 * cur.G[i] + y2 * cur.gj[i];
    let t = 1, next = residual(addScaled(x, t, step));
    while (next.merit >= cur.merit && t > 1e-4) {
      t /= 2;
      next = residual(addScaled(x, t, step));
    }
    if (next.merit >= cur.merit) return { kind: 'stuck' };
    x = addScaled(x, t, step);
    cur = next;
    if (hypot(x) > options.radius) return { kind: 'far' };
  }
  if (!(cur.merit <= 1e-9 * margin)) return { kind: 'stuck' };
  for (let f = 0; f < options.fixed.length; f++) {
    const i = options.fixed[f];
    if (i !== column && (cur.st.zetas[top][i] > 0 ? 1 : 0) !== options.fixedStates[f]) return { kind: 'blocked' };
  }
  if (top >= 1 && options.inactiveBelow?.some((i) => cur.st.zetas[top - 1][i] > 0)) return { kind: 'blocked' };
  const gn = hypot(cur.G);
  return { kind: 'reached', point: x, normal: cur.G.map((v) => v / gn) };
}

export interface ColumnReach {
  column: number;
  /**
   * 'reached': the predicted boundary was found where a walk ended (a point to cross from);
   * 'missed': no walk found it, and one found no kink there while the output was not constant
   * (the candidate is confined: its boundary bends where no known boundary is); 'unreached': no
   * walk got there (the column's boundary lies far out, or behind other fixed inputs), or only
   * where the output is constant: no evidence.
   */
  verdict: 'reached' | 'missed' | 'unreached';
  point?: Float64Array;
  normal?: Float64Array;
  /** Tests by outcome: hit; miss (no kink there while the output is not constant: see probeBoundary); flat (no evidence). */
  hits: number;
  misses: number;
  flats: number;
  /** Walks that did not get there, by why (see walkPredictedBoundary). */
  unreached: { far: number; blocked: number; stuck: number };
}

export interface ReachOptions {
  /** Walk radius (input units). */
  radius: number;
  /** Walks (from different trace points) per column. Default 3. */
  walks?: number;
  /** Failed tests (kink not there, output not constant) that make a column missed. Default 1. */
  minMisses?: number;
}

/**
 * For each input that never changed state on the candidate's trace: does the candidate's predicted
 * boundary reach that input's boundary (section 4, 'weights the boundary cannot show'; section 7,
 * confinement)? Walks start from the trace points nearest that boundary; each walk that gets there
 * costs one probeBoundary test (4 queries when it hits).
 */
export async function reachFixedColumns(ctx: RecoveryContext, known: readonly DenseLayer[], cand: Fit & { points: Float64Array[]; fixedColumns: number[]; fixedStates: number[] }, columns: readonly number[], options: ReachOptions): Promise<ColumnReach[]> {
  const { probe, tol } = ctx;
  const top = known.length - 1;
  const n0 = probe.inputDim;
  const walks = options.walks ?? 3, minMisses = options.minMisses ?? 1;
  const states = cand.points.map((p) => localState(known, p));
  const below = inactiveBelow(known, cand.points);
  const out: ColumnReach[] = [];
  for (const column of columns) {
    const dist = states.map((st, i) => {
      const g = st.grads[top].subarray(column * n0, (column + 1) * n0);
      return { i, d: Math.abs(st.zetas[top][column]) / (hypot(g) || 1) };
    }).sort((a, b) => a.d - b.d);
    const r: ColumnReach = { column, verdict: 'unreached', hits: 0, misses: 0, flats: 0, unreached: { far: 0, blocked: 0, stuck: 0 } };
    const tried: Float64Array[] = [];
    for (const { i } of dist.slice(0, 4 * walks)) {
      if (r.hits > 0 || tried.length >= walks) break;
      const walkOptions = { radius: options.radius, fixed: cand.fixedColumns, fixedStates: cand.fixedStates, inactiveBelow: below, margin: 1e-2 * tol.domainScale };
      let w = walkPredictedBoundary(known, cand, cand.points[i], column, walkOptions);
      if (w.kind === 'stuck') w = projectOntoColumn(known, cand, cand.points[i], column, walkOptions);
      if (w.kind !== 'reached') {
        r.unreached[w.kind]++;
        continue;
      }
      // Walks from neighbouring trace points end at the same place: one test each place.
      if (tried.some((t) => hypot(t.map((v, k) => v - w.point[k])) < 1e-3 * tol.domainScale)) continue;
      tried.push(w.point);
      const t = await probeBoundary(probe, w.point, w.normal, tol);
      if (t.result === 'hit') {
        r.hits++;
        r.point = t.point;
        r.normal = w.normal;
      } else if (t.result === 'flat') r.flats++;
      else r.misses++;
    }
    r.verdict = r.hits > 0 ? 'reached' : r.misses >= minMisses ? 'missed' : 'unreached';
    out.push(r);
  }
  return out;
}
