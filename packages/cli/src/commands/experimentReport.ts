import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface ExperimentReportConfig {
  /** Experiment folder (holding results.jsonl). */
  readonly dir: string;
}

export function experimentReportConfig(argv: Record<string, unknown>): ExperimentReportConfig {
  return deepFreeze({ dir: stringFlag(argv.dir, 'dir') });
}

/**
 * Writes report.md and the three SVG charts of an experiment folder from its results.jsonl.
 * @throws CliUsageError when the folder has no (or a corrupt) results.jsonl
 */
export async function runExperimentReport(config: ExperimentReportConfig, io: CliIo): Promise<ExitCode> {
  const { ResultsFileError, writeReport } = await import('@relurec/experiment');
  const report = await writeReport(config.dir).catch((error: unknown) => {
    if (error instanceof ResultsFileError) throw new CliUsageError(error.message, undefined, { cause: error });
    throw error;
  });
  io.stdout(`report of ${report.cells} cells: wrote ${report.files.join(', ')}\n`);
  return ExitCode.done;
}

export function experimentReportCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'report <dir>',
    describe: 'Write report.md and the charts (queries-vs-params, bits, seconds-vs-workers) of an experiment folder',
    builder: (y: Argv) => y.positional('dir', { type: 'string', describe: 'Experiment folder (holding results.jsonl)' }),
    handler: ctx.run((argv) => runExperimentReport(experimentReportConfig(argv), ctx.io)),
  };
}
