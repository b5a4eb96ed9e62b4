import { createRng } from '@relurec/random';
import type { LabelledData } from './LabelledData.js';

/** The Rolnick-Kording memorisation task: Gaussian points with labels that carry no structure. */
export type MemorisationTask = LabelledData;

export interface MemorisationTaskOptions {
  /** Number of points (rows). Positive integer. Default 1000. */
  samples?: number;
  /** Dimension of each point. Positive integer, required. */
  inputDim: number;
  /** Number of classes; labels are uniform on [0, classes). Integer >= 2, required. */
  classes: number;
  /** Seed of the points and labels. Finite number, required. */
  seed: number;
}

/**
 * `samples` points drawn from N(0, I) in R^inputDim, each with an independent uniformly random label
 * in [0, classes) (Rolnick and Kording, "Reverse-engineering deep ReLU networks", 2020). A network can
 * only fit it by memorising, which spreads its boundaries through the data.
 * Deterministic in (samples, inputDim, classes, seed); points and labels come from separate forks of
 * the seed, so changing `classes` keeps the same points.
 * @throws RangeError naming the option when an option is out of range
 */
export function makeMemorisationTask(options: MemorisationTaskOptions): MemorisationTask {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const samples = options.samples ?? 1000;
  const { inputDim, classes, seed } = options;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`options.samples must be a positive integer, got ${samples}`);
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new RangeError(`options.inputDim must be a positive integer, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`options.classes must be an integer >= 2, got ${classes}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError(`options.seed must be a finite number, got ${seed}`);
  const rng = createRng(seed);
  const inputs = rng.fork('inputs').gaussianArray(samples * inputDim);
  const labelRng = rng.fork('labels');
  const labels = new Int32Array(samples);
  for (let r = 0; r < samples; r++) labels[r] = labelRng.nextInt(classes);
  return { inputs, labels, rows: samples, inputDim, classes };
}
