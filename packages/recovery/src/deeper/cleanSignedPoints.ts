import type { DenseLayer } from '@relurec/network';
import { equationRow } from './Candidate.js';
import { solveCandidate, type CandidateSolution } from './solveCandidate.js';
import { hypot } from '@relurec/linalg';

export interface CleanedPoints {
  solution: CandidateSolution;
  /** Indices (into the given points) that lie off the solution's boundary. */
  dropped: number[];
}

/**
 * A neuron's points once the signs of the layer below are fixed, when they do not close without
 * the lambda block: some lie on another boundary that lambda's extra freedom absorbed (a
 * 10-20-20-20-1 layer-3 trace closed at 7e-16 unsigned and 7e-4 signed; dropping the worst point
 * at a time stalled after 1-3). Points come in trace order and a stray stretch starts somewhere:
 * the longest prefix that closes gives the row when it is pinned (binary search; closure only grows
 * with points), every later point on that row (relative residual under `onRow`) joins it, and the
 * joined system must close again. Undefined when no prefix of at least `minPoints` closes.
 */
export function cleanSignedPoints(below: readonly DenseLayer[], points: readonly Float64Array[], options: { closeBelow?: number; pinAbove?: number; onRow?: number; minPoints?: number } = {}): CleanedPoints | undefined {
  const close = options.closeBelow ?? 1e-11, pin = options.pinAbove ?? 1e-6, onRow = options.onRow ?? 1e-9;
  const ok = (s: CandidateSolution) => s.closure < close && s.pinning > pin && s.droppedPoints.length === 0;
  const minPoints = Math.max(options.minPoints ?? 0, below[below.length - 1].outDim + 2);
  if (points.length < minPoints) return undefined;
  let lo = minPoints, hi = points.length;
  const closes = (s: CandidateSolution) => s.closure < close;
  let best = solveCandidate(below, points.slice(0, lo), true);
  if (!closes(best)) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const s = solveCandidate(below, points.slice(0, mid), true);
    if (closes(s)) {
      lo = mid;
      best = s;
    } else hi = mid;
  }
  if (!ok(best)) return undefined;
  const v = [...best.c, best.bias], vn = hypot(v);
  const keep: number[] = [], dropped: number[] = [];
  points.forEach((p, i) => {
    if (i < lo) return keep.push(i);
    const row = equationRow(below, p, true);
    let r = 0;
    for (let j = 0; j < v.length; j++) r += row[j] * v[j];
    (Math.abs(r) <= onRow * hypot(row) * vn ? keep : dropped).push(i);
  });
  const solution = dropped.length === 0 ? best : solveCandidate(below, keep.map((i) => points[i]), true);
  return ok(solution) ? { solution, dropped } : undefined;
}
