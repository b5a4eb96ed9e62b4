import yargs from 'yargs';
import { NetworkFormatError } from '@relurec/network';
import {
  clusterCommand,
  coordinatorCommand,
  dashboardCommand,
  mergerCommand,
  workerCommand,
  compareCommand,
  demoCommand,
  experimentCommand,
  plotCommand,
  exportCommand,
  generateCommand,
  oracleCommand,
  recoverCommand,
  trainCommand,
  type CommandContext,
} from '../commands/index.js';
import type { CliIo } from './CliIo.js';
import { CliUsageError } from './CliUsageError.js';
import { ExitCode } from './ExitCode.js';

export interface RunCliOptions {
  /** Shown by --version. Default '0.0.0'. */
  version?: string;
  /** Help text width in columns. Default 100. */
  width?: number;
}

/**
 * Parses the arguments (without `node` and the script), runs the command, and returns its exit code:
 * 0 done, 1 recovery incomplete or an unexpected error, 2 bad input or usage. Never throws; errors are
 * printed on io.stderr as `relurec: <message>`; help and version go to io.stdout.
 */
export async function runCli(args: readonly string[], io: CliIo, options: RunCliOptions = {}): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.done;
  const ctx: CommandContext = {
    io,
    run: (body) => async (argv) => {
      exitCode = await body(argv);
    },
  };
  const parser = yargs([...args])
    .scriptName('relurec')
    .usage('$0 <command> [options]\n\nRecovers an unknown ReLU network (architecture and weights) from black-box queries.')
    .command(generateCommand(ctx))
    .command(trainCommand(ctx))
    .command(recoverCommand(ctx))
    .command(compareCommand(ctx))
    .command(exportCommand(ctx))
    .command(oracleCommand(ctx))
    .command(demoCommand(ctx))
    .command(plotCommand(ctx))
    .command(experimentCommand(ctx))
    .command(coordinatorCommand(ctx))
    .command(workerCommand(ctx))
    .command(mergerCommand(ctx))
    .command(dashboardCommand(ctx))
    .command(clusterCommand(ctx))
    .demandCommand(1, 'give a command (relurec --help lists them)')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version(options.version ?? '0.0.0')
    // yargs formats the help text of every command it runs (kept for its own error output, which the
    // fail handler below replaces): wrapped to the width, ~40 ms of start-up. Only asked-for help is
    // printed, so only then is it wrapped.
    .wrap(args.some((a) => a === '--help' || a === '-h') ? options.width ?? 100 : null)
    .epilog('Exit codes: 0 done, 1 recovery finished incomplete (reported), 2 bad input or usage.')
    .exitProcess(false)
    .fail((message, error) => {
      // Errors thrown by a command go to the catch below as they are; yargs' own messages are usage errors.
      if (error) throw error;
      // recommendCommands replaces 'Unknown argument' with the suggestion alone; say what was not understood.
      if (message?.startsWith('Did you mean')) {
        const words = args.filter((a) => !a.startsWith('-')).slice(0, 2);
        throw new CliUsageError(`unknown command '${words.join(' ')}'. ${message}`);
      }
      throw new CliUsageError(message ?? 'bad usage');
    });
  // With a callback yargs hands over the text it would print (help, version) instead of printing it.
  let output = '';
  try {
    await parser.parseAsync([...args], {}, (_error, _argv, text) => {
      output = text;
    });
  } catch (error) {
    return reportError(error, io);
  }
  if (output !== '') io.stdout(`${output}\n`);
  return exitCode;
}

function reportError(error: unknown, io: CliIo): ExitCode {
  // OnnxModelError is recognised by name so that every command does not have to load onnxruntime.
  const badInput =
    error instanceof CliUsageError || error instanceof NetworkFormatError || (error instanceof Error && error.name === 'OnnxModelError');
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`relurec: ${message}\n`);
  if (error instanceof CliUsageError && error.flag === undefined && /argument|command/i.test(message)) {
    io.stderr('relurec: see relurec --help, or relurec <command> --help\n');
  }
  if (!badInput && io.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return badInput ? ExitCode.usage : ExitCode.incomplete;
}
