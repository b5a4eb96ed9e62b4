import type { Argv, CommandModule } from 'yargs';
import { architecture, formatArchitecture, generateNetwork, Init, parameterCount, saveNetwork } from '@relurec/network';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { architectureFlag, deepFreeze, integerFlag, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface GenerateConfig {
  /** Widths from input to output. */
  readonly architecture: readonly number[];
  readonly seed: number;
  readonly init: Init;
  /** Network name; undefined for the generator's default. */
  readonly name: string | undefined;
  /** relu-net file to write. */
  readonly out: string;
}

export function generateConfig(argv: Record<string, unknown>): GenerateConfig {
  const init = argv.init as Init;
  if (!Object.values(Init).includes(init)) throw new CliUsageError(`--init must be one of ${Object.values(Init).join(', ')}`, '--init');
  return deepFreeze({
    architecture: architectureFlag(argv.arch),
    seed: integerFlag(argv.seed, '--seed'),
    init,
    name: argv.name === undefined ? undefined : stringFlag(argv.name, '--name'),
    out: stringFlag(argv.out, '--out'),
  });
}

/** Writes a random target network; deterministic in (architecture, init, seed). */
export async function runGenerate(config: GenerateConfig, io: CliIo): Promise<ExitCode> {
  const net = generateNetwork({ architecture: config.architecture, seed: config.seed, init: config.init, name: config.name });
  await saveNetwork(config.out, net);
  io.stdout(`wrote ${config.out}: ${formatArchitecture(architecture(net))}, ${parameterCount(net)} parameters, init ${config.init}, seed ${config.seed}\n`);
  return ExitCode.done;
}

export function generateCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'generate',
    describe: 'Write a random target network (relu-net JSON)',
    builder: (y: Argv) =>
      y
        .option('arch', { type: 'string', demandOption: true, describe: "Widths from input to output, e.g. '10-20-20-1'" })
        .option('seed', { type: 'number', default: 1, describe: 'Seed of the weights' })
        .option('init', {
          type: 'string',
          choices: Object.values(Init),
          default: Init.rk,
          describe: 'rk: Rolnick-Kording N(0, 2/fan_in) weights, N(0,1) biases; carlini: N(0,1)/sqrt(fan_out), zero biases; balanced: unit rows, median biases',
        })
        .option('name', { type: 'string', describe: 'Network name (default: <arch>-<init>-s<seed>)' })
        .option('out', { type: 'string', demandOption: true, describe: 'relu-net file to write' })
        .example('$0 generate --arch 10-20-20-1 --seed 1 --out net.json', ''),
    handler: ctx.run((argv) => runGenerate(generateConfig(argv), ctx.io)),
  };
}
