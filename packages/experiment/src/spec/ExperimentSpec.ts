/** How a target network is made: the three random initialisations of `relurec generate`, or trained. */
export const TargetInit = {
  /** Rolnick-Kording: weights N(0, 2/fan_in), biases N(0, 1). */
  rk: 'rk',
  /** Carlini et al.: weights N(0, 1)/sqrt(fan_out), zero biases. */
  carlini: 'carlini',
  /** Unit-norm rows, biases at the median pre-activation. */
  balanced: 'balanced',
  /** Trained on the memorisation task (packages/train); see makeTarget. */
  trained: 'trained',
} as const;
export type TargetInit = (typeof TargetInit)[keyof typeof TargetInit];

/** One way of running the recovery, applied to every (architecture, init, seed). */
export interface ExperimentSetting {
  /** Part of the cell id: letters, digits, '.', '_' and '-'. */
  readonly name: string;
  /** Worker threads of the embedded pool (recorded with each result; the network does not depend on it). Positive integer. Default 1 (or the CLI's --workers). */
  readonly workers?: number;
  /** Query budget of each recovery (rows). Non-negative integer. Default none. */
  readonly budget?: number;
  /** Inputs ~ N(0, domainScale^2 I), for the recovery and the fidelity figure. Positive. Default 1. */
  readonly domainScale?: number;
  /** Seed of the recovery run. Integer. Default the cell's seed. */
  readonly recoverySeed?: number;
}

/** Training of 'trained' targets. */
export interface TrainingSpec {
  /** Points of the memorisation task. Positive integer. Default 1000. */
  readonly samples?: number;
  /** Passes over the data. Non-negative integer. Default 50. */
  readonly epochs?: number;
}

/** An experiment: every architecture x init x seed x setting is one cell. */
export interface ExperimentSpec {
  /** Widths joined by '-', e.g. '10-20-1'. */
  readonly architectures: readonly string[];
  readonly inits: readonly TargetInit[];
  /** Target seeds (integers). */
  readonly seeds: readonly number[];
  /** Default one setting named 'default' with every default. */
  readonly settings?: readonly ExperimentSetting[];
  readonly training?: TrainingSpec;
  /** Gaussian inputs of the judge's fidelity figure per cell; 0 skips it. Non-negative integer. Default 100000. */
  readonly fidelitySamples?: number;
}
