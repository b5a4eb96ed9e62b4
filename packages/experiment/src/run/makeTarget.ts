import { denseLayer, generateNetwork, type ReluNetwork } from '@relurec/network';
import { makeMemorisationTask, trainNetwork } from '@relurec/train';
import type { ExperimentCell } from '../cells/ExperimentCell.js';
import { TargetInit, type TrainingSpec } from '../spec/ExperimentSpec.js';

/** Defaults of TrainingSpec. */
export const TrainingDefaults = { samples: 1000, epochs: 50 } as const;

/**
 * The target network of a cell; deterministic in (architecture, init, seed, training).
 *
 * rk, carlini, balanced: `generateNetwork`. trained: `trainNetwork` on the memorisation task
 * (Gaussian points, random labels; data seed = cell seed). A classifier needs at least 2 outputs, so
 * an architecture ending in 1 is trained with 2 classes and its output layer replaced by the logit
 * difference (row 0 - row 1): the same hidden layers, and a single output whose sign is the
 * classifier's decision.
 */
export function makeTarget(cell: ExperimentCell, training: TrainingSpec = {}): ReluNetwork {
  const { architecture, seed, init } = cell;
  if (init !== TargetInit.trained) return generateNetwork({ architecture, seed, init });
  const outputs = architecture[architecture.length - 1];
  const classes = Math.max(2, outputs);
  const trainArch = [...architecture.slice(0, -1), classes];
  const samples = training.samples ?? TrainingDefaults.samples;
  const epochs = training.epochs ?? TrainingDefaults.epochs;
  const data = makeMemorisationTask({ samples, inputDim: architecture[0], classes, seed });
  const { network } = trainNetwork({ data, architecture: trainArch, seed, epochs, name: `${cell.arch}-trained-s${seed}` });
  const meta = { ...network.meta, init: TargetInit.trained, seed, architecture: cell.arch };
  if (outputs === classes) return { ...network, meta };
  const last = network.layers[network.layers.length - 1];
  const n = last.inDim;
  const w = new Float64Array(n), b = Float64Array.of(last.biases[0] - last.biases[1]);
  for (let j = 0; j < n; j++) w[j] = last.weights[j] - last.weights[n + j];
  return {
    name: network.name,
    meta: { ...meta, output: 'logit difference of a 2-class classifier' },
    layers: [...network.layers.slice(0, -1), denseLayer(n, 1, w, b)],
  };
}
