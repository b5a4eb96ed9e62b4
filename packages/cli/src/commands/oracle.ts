import type { Argv, CommandModule } from 'yargs';
import { CliUsageError } from '../cli/CliUsageError.js';
import type { CommandContext } from './CommandContext.js';
import { notInThisVersion } from './notInThisVersion.js';
import { oracleServeCommand } from './oracleServe.js';

/** `oracle serve ...` (HTTP) and, in the cluster, `oracle --nats URL` (not in this version). */
export function oracleCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'oracle',
    describe: 'The black box as a service: `oracle serve` over HTTP',
    builder: (y: Argv) =>
      y
        .command(oracleServeCommand(ctx))
        .option('nats', { type: 'string', describe: 'Serve the oracle to a cluster (needs the cluster: not in this version)' }),
    handler: ctx.run(async (argv) => {
      if (argv.nats !== undefined) throw notInThisVersion('oracle --nats');
      throw new CliUsageError('oracle needs a subcommand: relurec oracle serve (--target net.json | --onnx model.onnx) --port P');
    }),
  };
}
