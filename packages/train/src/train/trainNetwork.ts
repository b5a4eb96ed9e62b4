import { formatArchitecture, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import type { LabelledData } from '../task/LabelledData.js';
import { adamStep } from '../internal/adamStep.js';
import { checkData } from '../internal/checkData.js';
import { evaluateInChunks } from '../internal/evaluateInChunks.js';
import { heInitialise } from '../internal/heInitialise.js';
import { backwardBatch } from '../internal/backwardBatch.js';
import { forwardBatch } from '../internal/forwardBatch.js';
import { softmaxCrossEntropy } from '../internal/softmaxCrossEntropy.js';
import { createWorkspace, zeroGradients } from '../internal/Workspace.js';
import { TrainingDivergedError } from './TrainingDivergedError.js';

/** Loss and accuracy of the whole training set after one epoch. */
export interface EpochRecord {
  /** 1-based: the number of completed epochs. */
  readonly epoch: number;
  /** Mean softmax cross-entropy over all training rows, in nats, after this epoch's last step. */
  readonly loss: number;
  /** Training accuracy in [0, 1] after this epoch's last step. */
  readonly accuracy: number;
}

export interface TrainOptions {
  /** The training set; its inputDim and classes must match the first and last widths of `architecture`. */
  data: LabelledData;
  /** Widths from input to output, e.g. [10, 20, 20, 2]: at least two positive integers, the last = data.classes. */
  architecture: readonly number[];
  /** Seed of the initialisation and of the mini-batch shuffles. Finite number, required. */
  seed: number;
  /** Passes over the data. Non-negative integer (0 returns the initialised network). Default 100. */
  epochs?: number;
  /** Rows per Adam step; each epoch is shuffled and the last batch may be smaller. Positive integer. Default 100. */
  batchSize?: number;
  /** Adam step size. Positive. Default 1e-3. */
  learningRate?: number;
  /** Adam decay of the first-moment estimate. In [0, 1). Default 0.9. */
  beta1?: number;
  /** Adam decay of the second-moment estimate. In [0, 1). Default 0.999. */
  beta2?: number;
  /** Adam denominator guard. Positive. Default 1e-8. */
  epsilon?: number;
  /**
   * Standard deviation of the initial biases, N(0, biasStd^2). Non-negative. Default 0.1 (variance 0.01).
   * 0 puts every layer-1 boundary through the origin at initialisation, a degenerate target for recovery.
   */
  biasStd?: number;
  /** Recorded as meta.task. Default 'memorisation'. */
  taskName?: string;
  /** Network name. Default `<architecture>-<taskName>-s<seed>`, e.g. '10-20-20-2-memorisation-s1'. */
  name?: string;
  /** Called after every epoch with that epoch's record (for progress reporting). Default none. */
  onEpoch?: (record: EpochRecord) => void;
}

export interface TrainResult {
  /**
   * The trained network; meta holds trainer, task, architecture, seed, epochs, batchSize,
   * learningRate, samples, finalLoss (nats) and trainAccuracy of the returned weights.
   */
  readonly network: ReluNetwork;
  /** One record per epoch, in order. */
  readonly history: EpochRecord[];
}

/**
 * Trains a ReLU MLP classifier with softmax cross-entropy and Adam on mini-batches.
 * Weights start He-initialised, N(0, 2/fan_in); biases N(0, biasStd^2). Deterministic in the options:
 * the same seed and data give bit-identical weights.
 * The forward/backward passes and Adam are hand-written loops over preallocated Float64Arrays (no
 * tensor library dependency); see computeGradient for the same backward pass on its own.
 * @throws RangeError (or TypeError) naming the option when an option is invalid
 * @throws TrainingDivergedError when the training loss becomes NaN or infinite
 */
export function trainNetwork(options: TrainOptions): TrainResult {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { data, architecture: arch, seed, onEpoch } = options;
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 100;
  const lr = options.learningRate ?? 1e-3;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.epsilon ?? 1e-8;
  const biasStd = options.biasStd ?? 0.1;
  const taskName = options.taskName ?? 'memorisation';

  checkData(data, 'options.data');
  if (!Array.isArray(arch) || arch.length < 2 || arch.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`options.architecture must be at least two positive integer widths, got [${String(arch)}]`);
  }
  if (arch[0] !== data.inputDim) throw new RangeError(`options.architecture[0] (${arch[0]}) must equal options.data.inputDim (${data.inputDim})`);
  if (arch[arch.length - 1] !== data.classes) {
    throw new RangeError(`options.architecture's last width (${arch[arch.length - 1]}) must equal options.data.classes (${data.classes})`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError(`options.seed must be a finite number, got ${seed}`);
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`options.epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`options.batchSize must be a positive integer, got ${batchSize}`);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`options.learningRate must be a positive finite number, got ${lr}`);
  if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`options.beta1 must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`options.beta2 must be in [0, 1), got ${beta2}`);
  if (!(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`options.epsilon must be a positive finite number, got ${eps}`);
  if (!(biasStd >= 0) || !Number.isFinite(biasStd)) throw new RangeError(`options.biasStd must be a non-negative finite number, got ${biasStd}`);
  if (typeof taskName !== 'string') throw new TypeError('options.taskName must be a string');
  if (options.name !== undefined && typeof options.name !== 'string') throw new TypeError('options.name must be a string');
  if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new TypeError('options.onEpoch must be a function');

  const rng = createRng(seed);
  const shuffleRng = rng.fork('shuffle');
  const layers = heInitialise(arch, biasStd, rng.fork('init'));
  const architecture = formatArchitecture(arch);
  const work: ReluNetwork = { name: '', meta: {}, layers };

  const { rows, inputDim: n0 } = data;
  const capacity = Math.min(batchSize, rows);
  const ws = createWorkspace(work, capacity);
  const grads = zeroGradients(work);
  const moments = layers.map((l) => ({
    mW: new Float64Array(l.weights.length),
    vW: new Float64Array(l.weights.length),
    mb: new Float64Array(l.outDim),
    vb: new Float64Array(l.outDim),
  }));
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) order[r] = r;

  const history: EpochRecord[] = [];
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let r = rows - 1; r > 0; r--) {
      const k = shuffleRng.nextInt(r + 1);
      const tmp = order[r];
      order[r] = order[k];
      order[k] = tmp;
    }
    for (let start = 0; start < rows; start += capacity) {
      const size = Math.min(capacity, rows - start);
      for (let b = 0; b < size; b++) {
        const src = order[start + b];
        ws.batch.set(data.inputs.subarray(src * n0, (src + 1) * n0), b * n0);
        ws.batchLabels[b] = data.labels[src];
      }
      for (const g of grads) {
        g.weights.fill(0);
        g.biases.fill(0);
      }
      forwardBatch(work, ws, ws.batch, size);
      softmaxCrossEntropy(ws, ws.batchLabels, size, data.classes, 1 / size);
      backwardBatch(work, ws, ws.batch, size, grads);
      step++;
      for (let l = 0; l < layers.length; l++) {
        const mo = moments[l];
        adamStep(layers[l].weights, grads[l].weights, mo.mW, mo.vW, step, lr, beta1, beta2, eps);
        adamStep(layers[l].biases, grads[l].biases, mo.mb, mo.vb, step, lr, beta1, beta2, eps);
      }
    }
    const { loss, accuracy } = evaluateInChunks(work, ws, data);
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, loss);
    const record: EpochRecord = { epoch, loss, accuracy };
    history.push(record);
    onEpoch?.(record);
  }

  // The last record already describes the returned weights; with epochs = 0 evaluate the initialisation.
  const final = history.length > 0 ? history[history.length - 1] : evaluateInChunks(work, ws, data);
  const network: ReluNetwork = {
    name: options.name ?? `${architecture}-${taskName}-s${seed}`,
    meta: {
      trainer: 'relurec train',
      task: taskName,
      architecture,
      seed,
      epochs,
      batchSize,
      learningRate: lr,
      samples: rows,
      finalLoss: final.loss,
      trainAccuracy: final.accuracy,
    },
    layers,
  };
  return { network, history };
}
