import type { CliIo } from '../cli/CliIo.js';
import type { ExitCode } from '../cli/ExitCode.js';

/** What every command's registration receives from runCli. */
export interface CommandContext {
  readonly io: CliIo;
  /**
   * Wraps a command body as a yargs handler: the body's exit code becomes the process's; a thrown
   * error is classified by runCli (bad input 2, anything else 1).
   */
  readonly run: (body: (argv: Record<string, unknown>) => Promise<ExitCode>) => (argv: Record<string, unknown>) => Promise<void>;
}
