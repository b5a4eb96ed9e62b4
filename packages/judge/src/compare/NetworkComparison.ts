import type { FidelityReport } from '../fidelity/measureFidelity.js';

/** Kinds of compared layer: hidden layers (matched by assignment) and the output layer (matched by index). */
export const LayerKind = {
  hidden: 'hidden',
  output: 'output',
} as const;
export type LayerKind = (typeof LayerKind)[keyof typeof LayerKind];

/** A true neuron and the recovered neuron it was matched to, with the error of the pair. */
export interface NeuronPair {
  /** Index of the neuron in the (canonical) true layer. */
  readonly truth: number;
  /** Index of the neuron in the (canonical) recovered layer. */
  readonly recovered: number;
  /** max(weightError, biasError) of the pair, in aligned canonical units (see LayerComparison). */
  readonly error: number;
}

/**
 * A true and a recovered neuron that were both left unmatched, paired as the nearest leftovers
 * (by min(error, error of the negated recovered neuron)). Diagnoses what went wrong with them.
 */
export interface RejectedPair extends NeuronPair {
  /**
   * True when the recovered neuron is the true one with its sign flipped (w, b -> -w, -b) to within
   * matchTolerance: a different function (ReLU is not odd), a typical sign-recovery failure.
   */
  readonly signFlipped: boolean;
}

/**
 * A weight of a matched pair left out of its error: from an input (a neuron of the layer below) that
 * is off wherever the neuron is on, in the truth and in the recovered network alike, as far as the
 * judge's search finds (sampled inputs, CompareOptions.unusedSamples, then an ascent for a point where
 * both are on, then, with CompareOptions.milp, an exact search that proves it: `proved`). The function
 * does not depend on it: no query shows it, and the two networks may differ in it.
 */
export interface UnusedWeight {
  /** The pair (canonical indices). */
  readonly truth: number;
  readonly recovered: number;
  /** The input in each network (indices of the layer below). */
  readonly trueInput: number;
  readonly recoveredInput: number;
  /**
   * Proved, in both networks, by the exact search of CompareOptions.milp (no input of the box has
   * both on); false: the verdict of the sampling and ascent alone.
   */
  readonly proved: boolean;
}

/**
 * The comparison of one layer. Errors are over matched pairs only, in aligned canonical units:
 * incoming rows restricted to the columns of matched neurons of the previous layer (in the matched
 * order, each recovered column scaled into truth units) and, for hidden layers, rescaled to unit norm
 * over those columns with the bias scaled alike. When every earlier layer matched completely this is
 * exactly the canonical form (unit-norm rows, scale pushed forward). A row that is zero on those
 * columns (a constant neuron) is scaled to |bias| = 1 instead. Errors are NaN when nothing was matched.
 */
export interface LayerComparison {
  /** 1-based; hidden layers 1..L, then the output layer. */
  readonly layer: number;
  readonly kind: LayerKind;
  /** Neurons in this layer of the true network (0 when it has no such layer). */
  readonly trueWidth: number;
  /** Neurons in this layer of the recovered network (0 when it has no such layer). */
  readonly recoveredWidth: number;
  /** Pairs within matchTolerance (hidden) or common outputs (output layer, matched by index). */
  readonly matched: number;
  /** True neurons with no partner. */
  readonly missing: number;
  /** Recovered neurons with no partner. */
  readonly extra: number;
  /** Rejected pairs that are a sign-flipped copy of the true neuron (hidden layers; 0 for output). */
  readonly signFlipped: number;
  /** Largest |w - w^| over matched pairs' aligned incoming weights. */
  readonly maxWeightError: number;
  /** Largest |b - b^| over matched pairs' aligned biases. */
  readonly maxBiasError: number;
  /** max(maxWeightError, maxBiasError). */
  readonly maxError: number;
  /** -log2(maxError): Infinity when maxError is 0, NaN when nothing matched. */
  readonly bits: number;
  /** Matched pairs in increasing true index. */
  readonly pairs: readonly NeuronPair[];
  /** Unmatched neurons paired as nearest leftovers, in increasing true index. */
  readonly rejected: readonly RejectedPair[];
  /**
   * Weights of matched pairs left out of their errors (UnusedWeight; hidden layers 2..L only), in
   * increasing true index. The pair's rows are renormalised on the other columns before comparing.
   */
  readonly unused: readonly UnusedWeight[];
}

/** Settings a comparison was made with (defaults filled in). */
export interface ResolvedCompareOptions {
  readonly fidelitySamples: number;
  readonly seed: number;
  readonly domainScale: number;
  readonly matchTolerance: number;
  readonly fidelityBatchSize: number;
  readonly unusedSamples: number;
  /** Whether the pairs the search left were put to the exact search (CompareOptions.milp). */
  readonly exactUnused: boolean;
}

/** The judge's verdict on a recovered network against the truth. */
export interface NetworkComparison {
  /** Same widths from input to output. */
  readonly architectureMatch: boolean;
  readonly inputDimMatch: boolean;
  readonly outputDimMatch: boolean;
  /** Widths from input to output, e.g. [10, 20, 20, 1]. */
  readonly truthArchitecture: readonly number[];
  readonly recoveredArchitecture: readonly number[];
  /** Every true neuron (hidden and output) matched and nothing extra; implies architectureMatch. */
  readonly complete: boolean;
  /** Hidden layers 1..max(L, L^) in order, then the output layer. */
  readonly layers: readonly LayerComparison[];
  /** Weights left out as unused, over all layers (LayerComparison.unused). */
  readonly unusedWeights: number;
  /** Largest error over all matched weights and biases of all layers, output included; NaN if nothing matched. */
  readonly maxError: number;
  /** -log2(maxError): Infinity when maxError is 0. ALGORITHM.md section 6 targets >= 36. */
  readonly bits: number;
  /** null when input or output dims differ, or when fidelitySamples is 0. */
  readonly fidelity: FidelityReport | null;
  readonly options: ResolvedCompareOptions;
}
