import type { DenseLayer } from '@relurec/network';
import { solveCandidate, type CandidateSolution } from './solveCandidate.js';

export interface StrayFreeSolution {
  solution: CandidateSolution;
  /** Indices of the points left out as strays (besides those the solve leaves out anyway). */
  strays: number[];
}

/**
 * A neuron's signed point system (signs of the layer below fixed) solved without up to `maxStrays`
 * stray points. Exact boundary points close to ~1e-15; a system that closes only to > `closeBelow`
 * holds points off the boundary (refinement points are pooled when the system closes to 1e-9: one
 * point 2.5e-8 off among 135 left a 20-30-30-20-1 rk 3 layer-2 row 1.3e-9 off). The worst points are
 * left out while that helps, and the result kept only when it closes ten times better, stays
 * pinned and sees every column the full system saw. Pure.
 */
export function solveWithoutStrays(below: readonly DenseLayer[], points: Float64Array[], options: { closeBelow?: number; maxStrays?: number } = {}): StrayFreeSolution {
  const closeBelow = options.closeBelow ?? 1e-13;
  const full = solveCandidate(below, points, true);
  if (!(full.closure > closeBelow)) return { solution: full, strays: [] };
  const trimmed = solveCandidate(below, points, { signed: true, maxOutliers: options.maxStrays ?? 3, closeBelow });
  if (!(trimmed.closure < 0.1 * full.closure && trimmed.pinning > 1e-6 && trimmed.unseenColumns.length <= full.unseenColumns.length)) return { solution: full, strays: [] };
  return { solution: trimmed, strays: trimmed.droppedPoints.filter((i) => !full.droppedPoints.includes(i)) };
}
