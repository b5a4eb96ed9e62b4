import type { TargetInit } from '../spec/ExperimentSpec.js';

/** One finished cell: one line of results.jsonl. */
export interface CellResult {
  /** Cell id, e.g. '10-20-1/rk/seed1/default'. */
  readonly id: string;
  /** Target widths joined by '-'. */
  readonly arch: string;
  readonly init: TargetInit;
  /** Seed of the target. */
  readonly seed: number;
  /** Setting name. */
  readonly setting: string;
  /** Weights and biases of the target. */
  readonly params: number;
  /** Queries (rows) the recovery paid for. */
  readonly queries: number;
  readonly queriesPerParam: number;
  /** Wall-clock seconds of the recovery. */
  readonly seconds: number;
  /** The judge's -log2(max aligned weight error): Infinity for an exact match, NaN when nothing was matched or recovered. */
  readonly bits: number;
  /** The judge's fidelity max |f - f^| over Gaussian inputs; null when not computed (dims differ, nothing recovered, or 0 samples). */
  readonly fidelity: number | null;
  /** fidelity / max |f|; null alike. */
  readonly fidelityRelative: number | null;
  /** Recovered widths equal the target's. */
  readonly architectureMatch: boolean;
  /** The recovery reported itself complete. */
  readonly complete: boolean;
  /** The judge matched every neuron and found nothing extra. */
  readonly allMatched: boolean;
  /** Recorded worker count. */
  readonly workers: number;
  /** Query budget of the run; null for none. */
  readonly budget: number | null;
  readonly domainScale: number;
  readonly recoverySeed: number;
  /** Recovered widths joined by '-'; null when nothing was recovered. */
  readonly recoveredArch: string | null;
  readonly warnings: readonly string[];
}
