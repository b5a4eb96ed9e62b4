import { denseLayer, type DenseLayer } from '@relurec/network';
import { solveCandidate } from './solveCandidate.js';
import { hypot } from '@relurec/linalg';

export interface RowCompletion {
  /** The neuron of `layer` whose points pool with the new ones. */
  owner: number;
  /** `layer` with the owner's row replaced by the pooled solution (unit norm, the old row's sign). */
  layer: DenseLayer;
  /** Columns the pooled points still never show (weights left at 0). */
  unseenColumns: number[];
}

/**
 * Section 7: boundary points traced elsewhere (far out, where the known row may be inexact because
 * its own trace never saw some inputs switch) that belong to a known neuron of `layer`: the first
 * neuron whose points, pooled with them, give a signed point system (over `below`, signs fixed) that
 * closes (< `closeBelow`) and is pinned down (second singular value > `pinBelow`), with no point
 * dropped (only neuron `owner` when given). That pooled solution replaces the row. Undefined when
 * no neuron pools. Pure.
 */
export function completeKnownRow(below: readonly DenseLayer[], layer: DenseLayer, layerPoints: readonly (readonly Float64Array[])[], points: Float64Array[], options: { closeBelow?: number; pinAbove?: number; owner?: number } = {}): RowCompletion | undefined {
  const close = options.closeBelow ?? 1e-9, pin = options.pinAbove ?? 1e-6;
  const n = layer.inDim;
  for (let z = options.owner ?? 0; z < (options.owner !== undefined ? options.owner + 1 : Math.min(layer.outDim, layerPoints.length)); z++) {
    const pooled = solveCandidate(below, [...layerPoints[z], ...points], true);
    if (!(pooled.closure < close && pooled.pinning > pin && pooled.droppedPoints.length === 0)) continue;
    const W = Float64Array.from(layer.weights), B = Float64Array.from(layer.biases);
    const unit = unitRowLike(pooled.c, pooled.bias, W.subarray(z * n, (z + 1) * n));
    if (!unit) continue;
    W.set(unit.row, z * n);
    B[z] = unit.bias;
    return { owner: z, layer: denseLayer(n, layer.outDim, W, B), unseenColumns: pooled.unseenColumns };
  }
  return undefined;
}

/** A solved row (c, bias) at unit norm, with the sign of `like` (the row it replaces). Undefined for c = 0. */
export function unitRowLike(c: Float64Array, bias: number, like: ArrayLike<number>): { row: Float64Array; bias: number } | undefined {
  let dot = 0;
  for (let d = 0; d < c.length; d++) dot += c[d] * like[d];
  const s = Math.sign(dot || 1) * hypot(c);
  if (!(Math.abs(s) > 0)) return undefined;
  return { row: c.map((v) => v / s), bias: bias / s };
}
