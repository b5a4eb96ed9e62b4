import type { Argv, CommandModule } from 'yargs';
import { CliUsageError } from '../cli/CliUsageError.js';
import type { CommandContext } from './CommandContext.js';
import { experimentReportCommand } from './experimentReport.js';
import { experimentRunCommand } from './experimentRun.js';

export { embeddedRecoverCell, experimentRunConfig, runExperimentRun } from './experimentRun.js';
export type { ExperimentRunConfig } from './experimentRun.js';
export { experimentReportConfig, runExperimentReport } from './experimentReport.js';
export type { ExperimentReportConfig } from './experimentReport.js';

/** `experiment run spec.json --out DIR` and `experiment report DIR`. */
export function experimentCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'experiment',
    describe: 'Experiments: `experiment run spec.json --out DIR` (resumable), `experiment report DIR`',
    builder: (y: Argv) => y.command(experimentRunCommand(ctx)).command(experimentReportCommand(ctx)),
    handler: ctx.run(async () => {
      throw new CliUsageError('experiment needs a subcommand: relurec experiment run spec.json --out DIR, or relurec experiment report DIR');
    }),
  };
}
