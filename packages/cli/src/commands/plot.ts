import { rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { architecture, formatArchitecture, loadNetwork } from '@relurec/network';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, integerFlag, positiveFlag, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface PlotConfig {
  /** relu-net file of the true network (2 inputs). */
  readonly truth: string;
  /** relu-net file of a recovered network, drawn dashed; undefined for none. */
  readonly recovered: string | undefined;
  /** SVG file to write. */
  readonly out: string;
  /** Inputs drawn: [-range, range]^2. */
  readonly range: number;
  /** Side of the plotted square in pixels. */
  readonly resolution: number;
}

export function plotConfig(argv: Record<string, unknown>): PlotConfig {
  const resolution = integerFlag(argv.resolution, '--resolution', 50);
  if (resolution > 20_000) throw new CliUsageError(`--resolution must be at most 20000 pixels, got ${resolution}`, '--resolution');
  return deepFreeze({
    truth: stringFlag(argv.truth, 'truth'),
    recovered: argv.recovered === undefined ? undefined : stringFlag(argv.recovered, 'recovered'),
    out: stringFlag(argv.out, '--out'),
    range: positiveFlag(argv.range, '--range'),
    resolution,
  });
}

/**
 * Draws the neuron boundaries of a 2-input network (and of a recovered one, dashed) over
 * [-range, range]^2 as an SVG file (Rolnick & Kording 2020, Fig. 1).
 * @throws CliUsageError when a network does not have 2 inputs or --out's folder is missing; NetworkFormatError for a bad model file
 */
export async function runPlot(config: PlotConfig, io: CliIo): Promise<ExitCode> {
  const dir = dirname(config.out);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new CliUsageError(`--out: directory '${dir}' does not exist`, '--out');
  const truth = await loadNetwork(config.truth);
  const recovered = config.recovered === undefined ? undefined : await loadNetwork(config.recovered);
  const { plotBoundaries } = await import('@relurec/plot');
  let svg: string;
  try {
    svg = plotBoundaries(truth, recovered, { range: [-config.range, config.range], resolution: config.resolution });
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    const file = /recovered network/.test(cause.message) ? config.recovered : config.truth;
    throw new CliUsageError(`${file}: ${cause.message}`, undefined, { cause });
  }
  const tmp = `${config.out}.${process.pid}.tmp`;
  await writeFile(tmp, svg);
  await rename(tmp, config.out);
  const arch = (net: typeof truth) => formatArchitecture(architecture(net));
  const what = recovered === undefined ? `truth ${arch(truth)}` : `truth ${arch(truth)} (solid) and recovered ${arch(recovered)} (dashed)`;
  io.stdout(`wrote ${config.out}: neuron boundaries of ${what} over [-${config.range}, ${config.range}]^2\n`);
  return ExitCode.done;
}

export function plotCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'plot <truth> [recovered]',
    describe: 'Draw the neuron boundaries of a 2-input network (and a recovered one, dashed) as SVG',
    builder: (y: Argv) =>
      y
        .positional('truth', { type: 'string', describe: 'relu-net file of the true network (2 inputs)' })
        .positional('recovered', { type: 'string', describe: 'relu-net file of the recovered network, drawn dashed' })
        .option('out', { type: 'string', demandOption: true, describe: 'SVG file to write' })
        .option('range', { type: 'number', default: 3, describe: 'Draw inputs in [-R, R]^2' })
        .option('resolution', { type: 'number', default: 480, describe: 'Side of the plotted square in pixels' })
        .example('$0 plot truth.json rec.json --out fig.svg --range 3', '')
        .epilog('Every hidden neuron\'s boundary (pre-activation = 0) is drawn exactly, coloured by layer.\nExit codes: 0 written, 2 bad input (a network without 2 inputs, a malformed file).'),
    handler: ctx.run((argv) => runPlot(plotConfig(argv), ctx.io)),
  };
}
