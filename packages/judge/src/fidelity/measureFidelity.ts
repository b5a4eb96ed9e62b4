import { createRng } from '@relurec/random';
import { forward, inputDim, outputDim, type ReluNetwork } from '@relurec/network';

/** Functional agreement of two networks on random inputs. */
export interface FidelityReport {
  /** Inputs evaluated. */
  readonly samples: number;
  /** max over samples and outputs of |f(x) - f^(x)|. */
  readonly maxAbsError: number;
  /** max over samples and outputs of |f(x)| (the true network). */
  readonly maxAbsOutput: number;
  /**
   * maxAbsError / maxAbsOutput (0 when both are 0, Infinity when only maxAbsOutput is 0).
   * ALGORITHM.md section 6 targets <= 1e-9.
   */
  readonly relativeError: number;
}

export interface FidelityOptions {
  /** Inputs drawn. Default 100000. */
  samples?: number;
  /** Seed of the inputs (createRng(seed), one stream whatever the batch size). Default 0. */
  seed?: number;
  /** Inputs are N(0, domainScale^2 I). Default 1. */
  domainScale?: number;
  /** Rows evaluated at once, bounding memory to about batchSize x (widest layer) doubles. Default 4096. */
  batchSize?: number;
}

/**
 * max |f(x) - f^(x)| and max |f(x)| over `samples` seeded Gaussian inputs, f = truth, f^ = recovered.
 * Deterministic in (networks, samples, seed, domainScale); independent of batchSize.
 * @throws RangeError when the networks' input or output dims differ, or an option is invalid
 */
export function measureFidelity(truth: ReluNetwork, recovered: ReluNetwork, options: FidelityOptions = {}): FidelityReport {
  const samples = options.samples ?? 100_000;
  const seed = options.seed ?? 0;
  const scale = options.domainScale ?? 1;
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`options.samples must be a non-negative integer, got ${samples}`);
  if (!Number.isFinite(seed)) throw new RangeError(`options.seed must be a finite number, got ${seed}`);
  if (!(Number.isFinite(scale) && scale > 0)) throw new RangeError(`options.domainScale must be a positive finite number, got ${scale}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`options.batchSize must be a positive integer, got ${batchSize}`);
  const n0 = inputDim(truth);
  if (inputDim(recovered) !== n0) throw new RangeError(`input dims differ: truth ${n0}, recovered ${inputDim(recovered)}`);
  if (outputDim(recovered) !== outputDim(truth)) {
    throw new RangeError(`output dims differ: truth ${outputDim(truth)}, recovered ${outputDim(recovered)}`);
  }
  const rng = createRng(seed);
  let maxAbsError = 0, maxAbsOutput = 0;
  for (let done = 0; done < samples; ) {
    const rows = Math.min(batchSize, samples - done);
    const x = rng.gaussianArray(rows * n0);
    if (scale !== 1) for (let k = 0; k < x.length; k++) x[k] *= scale;
    const y = forward(truth, x, rows), yHat = forward(recovered, x, rows);
    for (let k = 0; k < y.length; k++) {
      const e = Math.abs(y[k] - yHat[k]), a = Math.abs(y[k]);
      // e !== e: a NaN output (overflow) must stick instead of being skipped by the comparison
      if (e > maxAbsError || e !== e) maxAbsError = e;
      if (a > maxAbsOutput || a !== a) maxAbsOutput = a;
    }
    done += rows;
  }
  const relativeError = maxAbsOutput > 0 ? maxAbsError / maxAbsOutput : maxAbsError === 0 ? 0 : Infinity;
  return { samples, maxAbsError, maxAbsOutput, relativeError };
}
