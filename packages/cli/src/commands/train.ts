import type { Argv, CommandModule } from 'yargs';
import { formatArchitecture, parameterCount, saveNetwork } from '@relurec/network';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { createProgress } from '../internal/createProgress.js';
import { architectureFlag, deepFreeze, integerFlag, positiveFlag, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface TrainConfig {
  /** Widths from input to output; the last width is the number of classes. */
  readonly architecture: readonly number[];
  /** Training points of the memorisation task. */
  readonly samples: number;
  readonly epochs: number;
  /** Seed of the initialisation and the mini-batch shuffles. */
  readonly seed: number;
  /** Seed of the task's points and labels. */
  readonly dataSeed: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly out: string;
}

export function trainConfig(argv: Record<string, unknown>): TrainConfig {
  const arch = architectureFlag(argv.arch);
  if (arch[arch.length - 1] < 2) {
    throw new CliUsageError(`--arch: the last width is the number of classes and must be at least 2, got '${String(argv.arch)}'`, '--arch');
  }
  const seed = integerFlag(argv.seed, '--seed');
  return deepFreeze({
    architecture: arch,
    samples: integerFlag(argv.samples, '--samples', 1),
    epochs: integerFlag(argv.epochs, '--epochs', 0),
    seed,
    dataSeed: argv['data-seed'] === undefined ? seed : integerFlag(argv['data-seed'], '--data-seed'),
    batchSize: integerFlag(argv['batch-size'], '--batch-size', 1),
    learningRate: positiveFlag(argv.lr, '--lr'),
    out: stringFlag(argv.out, '--out'),
  });
}

/** Trains a classifier on the Rolnick-Kording memorisation task (random labels on Gaussian points) and writes it. */
export async function runTrain(config: TrainConfig, io: CliIo): Promise<ExitCode> {
  const { architecture: arch, epochs } = config;
  const classes = arch[arch.length - 1];
  const { makeMemorisationTask, trainNetwork } = await import('@relurec/train');
  const data = makeMemorisationTask({ samples: config.samples, inputDim: arch[0], classes, seed: config.dataSeed });
  const progress = createProgress(io, { refreshMs: 0 });
  const every = io.stderrIsTTY ? 1 : Math.max(1, Math.ceil(epochs / 20));
  const { network } = trainNetwork({
    data,
    architecture: arch,
    seed: config.seed,
    epochs,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    onEpoch: (r) => {
      if (r.epoch % every === 0 || r.epoch === epochs) {
        progress.update(`epoch ${r.epoch}/${epochs}  loss ${r.loss.toFixed(4)}  accuracy ${(100 * r.accuracy).toFixed(1)}%`);
      }
    },
  });
  progress.done();
  const trained = { ...network, meta: { ...network.meta, dataSeed: config.dataSeed, classes } };
  await saveNetwork(config.out, trained);
  const accuracy = Number(network.meta.trainAccuracy);
  io.stdout(
    `wrote ${config.out}: ${formatArchitecture(arch)}, ${parameterCount(network)} parameters, ` +
      `${epochs} epochs on ${config.samples} points, train accuracy ${(100 * accuracy).toFixed(1)}%\n`,
  );
  return ExitCode.done;
}

export function trainCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'train',
    describe: 'Train a target network on the memorisation task (random labels; classes = last width)',
    builder: (y: Argv) =>
      y
        .option('arch', { type: 'string', demandOption: true, describe: "Widths from input to output, e.g. '10-20-20-2' (last = classes, >= 2)" })
        .option('samples', { type: 'number', default: 1000, describe: 'Training points ~ N(0, I)' })
        .option('epochs', { type: 'number', default: 100, describe: 'Passes over the data' })
        .option('seed', { type: 'number', default: 1, describe: 'Seed of the initialisation and shuffles' })
        .option('data-seed', { type: 'number', describe: 'Seed of the points and labels (default: --seed); stored in meta.dataSeed' })
        .option('batch-size', { type: 'number', default: 100, describe: 'Rows per Adam step' })
        .option('lr', { type: 'number', default: 1e-3, describe: 'Adam learning rate' })
        .option('out', { type: 'string', demandOption: true, describe: 'relu-net file to write' })
        .example('$0 train --arch 10-20-20-2 --samples 1000 --epochs 200 --seed 1 --out net.json', ''),
    handler: ctx.run((argv) => runTrain(trainConfig(argv), ctx.io)),
  };
}
