import type { TargetInit } from '../spec/ExperimentSpec.js';

/** A setting with its defaults filled in. */
export interface ResolvedSetting {
  readonly name: string;
  /** Recorded worker count. */
  readonly workers: number;
  /** Query budget (rows); null for none. */
  readonly budget: number | null;
  readonly domainScale: number;
  /** Seed of the recovery run. */
  readonly recoverySeed: number;
}

/** One run of an experiment: a target (architecture, init, seed) recovered under one setting. */
export interface ExperimentCell {
  /** `<arch>/<init>/seed<seed>/<setting>`, e.g. '10-20-1/rk/seed1/default'. */
  readonly id: string;
  /** Widths from input to output. */
  readonly architecture: readonly number[];
  /** The widths joined by '-'. */
  readonly arch: string;
  readonly init: TargetInit;
  /** Seed of the target network. */
  readonly seed: number;
  readonly setting: ResolvedSetting;
}
