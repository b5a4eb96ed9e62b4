import type { LayerComparison, LayerKind, NeuronPair, RejectedPair, UnusedWeight } from '../NetworkComparison.js';

/** A matched pair with its two error parts. */
export interface ScoredPair extends NeuronPair {
  readonly weightError: number;
  readonly biasError: number;
}

/** -log2(error): Infinity for 0, NaN for NaN. */
export function bitsOf(error: number): number {
  return error === 0 ? Infinity : -Math.log2(error);
}

/** Assembles a LayerComparison from matched pairs (any order) and rejected pairs. */
export function summarizeLayer(
  layer: number,
  kind: LayerKind,
  trueWidth: number,
  recoveredWidth: number,
  scored: readonly ScoredPair[],
  rejected: readonly RejectedPair[],
  unused: readonly UnusedWeight[] = [],
): LayerComparison {
  let maxWeightError = scored.length ? 0 : NaN, maxBiasError = scored.length ? 0 : NaN;
  for (const p of scored) {
    maxWeightError = Math.max(maxWeightError, p.weightError);
    maxBiasError = Math.max(maxBiasError, p.biasError);
  }
  const maxError = Math.max(maxWeightError, maxBiasError);
  const pairs = [...scored].sort((a, b) => a.truth - b.truth).map(({ truth, recovered, error }) => ({ truth, recovered, error }));
  return {
    layer,
    kind,
    trueWidth,
    recoveredWidth,
    matched: scored.length,
    missing: trueWidth - scored.length,
    extra: recoveredWidth - scored.length,
    signFlipped: rejected.filter((r) => r.signFlipped).length,
    maxWeightError,
    maxBiasError,
    maxError,
    bits: bitsOf(maxError),
    pairs,
    rejected: [...rejected].sort((a, b) => a.truth - b.truth),
    unused: [...unused].sort((a, b) => a.truth - b.truth || a.trueInput - b.trueInput),
  };
}

/** A layer with nothing comparable (a depth mismatch, or no matched columns to compare rows on). */
export function unmatchedLayer(layer: number, kind: LayerKind, trueWidth: number, recoveredWidth: number): LayerComparison {
  return summarizeLayer(layer, kind, trueWidth, recoveredWidth, [], []);
}
