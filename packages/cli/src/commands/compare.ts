import type { Argv, CommandModule } from 'yargs';
import type { NetworkComparison } from '@relurec/judge';
import { loadNetwork } from '@relurec/network';
import type { CliIo } from '../cli/CliIo.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, integerFlag, positiveFlag, stringFlag } from '../internal/flags.js';
import { toJson } from '../internal/toJson.js';
import type { CommandContext } from './CommandContext.js';

export interface CompareConfig {
  readonly truth: string;
  readonly recovered: string;
  /** Gaussian inputs of the fidelity figure; 0 skips it. Undefined for the judge's default (100000). */
  readonly samples: number | undefined;
  /** Seed of the fidelity inputs. Undefined for the judge's default (0). */
  readonly seed: number | undefined;
  /** Fidelity inputs ~ N(0, domainScale^2 I). Undefined for the judge's default (1). */
  readonly domainScale: number | undefined;
  /** Inputs a scale of the judge's unused-input search; 0 turns it off. Undefined for the judge's default (10000). */
  readonly unusedSamples: number | undefined;
  /** Pairs the unused-input search leaves are put to an exact MILP search (proved or found). */
  readonly exactUnused: boolean;
  readonly json: boolean;
}

export function compareConfig(argv: Record<string, unknown>): CompareConfig {
  return deepFreeze({
    truth: stringFlag(argv.truth, 'truth'),
    recovered: stringFlag(argv.recovered, 'recovered'),
    samples: argv.samples === undefined ? undefined : integerFlag(argv.samples, '--samples', 0),
    seed: argv.seed === undefined ? undefined : integerFlag(argv.seed, '--seed'),
    domainScale: argv['domain-scale'] === undefined ? undefined : positiveFlag(argv['domain-scale'], '--domain-scale'),
    unusedSamples: argv['unused-samples'] === undefined ? undefined : integerFlag(argv['unused-samples'], '--unused-samples', 0),
    exactUnused: argv['exact-unused'] !== false,
    json: argv.json === true,
  });
}

/** Loads both networks and judges the recovered one against the truth. */
export async function compareFiles(config: CompareConfig): Promise<NetworkComparison> {
  const [truth, recovered] = await Promise.all([loadNetwork(config.truth), loadNetwork(config.recovered)]);
  // Loaded on use: the judge is the slowest package to import, and most commands never need it.
  const { compareNetworks } = await import('@relurec/judge');
  const milp = config.exactUnused && config.unusedSamples !== 0 ? await (await import('@relurec/milp')).loadMilpSolver() : undefined;
  return compareNetworks(truth, recovered, { fidelitySamples: config.samples, seed: config.seed, domainScale: config.domainScale, unusedSamples: config.unusedSamples, milp });
}

/**
 * Prints the comparison (a table, or JSON with Infinity as "Infinity" and NaN as null). Always exit 0
 * once both files load: the comparison is a report, not a verdict.
 */
export async function runCompare(config: CompareConfig, io: CliIo): Promise<ExitCode> {
  const report = await compareFiles(config);
  const { formatComparison } = await import('@relurec/judge');
  io.stdout(config.json ? `${toJson(report)}\n` : `${formatComparison(report)}\n`);
  return ExitCode.done;
}

export function compareCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'compare <truth> <recovered>',
    describe: 'Judge a recovered network against the true one (up to permutation and scaling)',
    builder: (y: Argv) =>
      y
        .positional('truth', { type: 'string', describe: 'relu-net file of the true network' })
        .positional('recovered', { type: 'string', describe: 'relu-net file of the recovered network' })
        .option('samples', { type: 'number', describe: 'Gaussian inputs for the fidelity figure (0 skips it) [default: 100000]' })
        .option('seed', { type: 'number', describe: 'Seed of the fidelity inputs [default: 0]' })
        .option('domain-scale', { type: 'number', alias: 'domain', describe: 'Fidelity inputs ~ N(0, S^2 I) [default: 1]' })
        .option('unused-samples', {
          type: 'number',
          describe: 'Inputs per scale (1-300 domain scales) on which a weight from an input that is off wherever its neuron is on, in both networks, is found and left out of the errors (0: none left out) [default: 10000]',
        })
        .option('exact-unused', {
          type: 'boolean',
          default: true,
          describe: 'Put each weight the search calls unused to an exact MILP search over the activation regions (a proof, or a point where it acts); --no-exact-unused keeps the search verdict',
        })
        .option('json', { type: 'boolean', default: false, describe: 'Print the comparison as JSON' })
        .epilog(
          'Reports architecture match, per-layer neuron matching, max aligned weight error and bits (-log2), and fidelity max|f - f^|.\n' +
            'Weights no query can show (from an input off wherever the neuron is on, in both networks: sampled, searched, then proved by MILP) are listed and left out of the errors.\n' +
            'JSON: Infinity (e.g. bits of an exact match) is written as the string "Infinity", NaN (nothing compared) as null.\n' +
            'Exit codes: 0 whenever both files load (whatever the verdict), 2 bad input.',
        ),
    handler: ctx.run((argv) => runCompare(compareConfig(argv), ctx.io)),
  };
}
