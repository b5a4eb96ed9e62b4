import type { Argv, CommandModule } from 'yargs';
import { connectCluster, withNatsFlags } from '../internal/natsFlags.js';
import { runService } from '../internal/runService.js';
import type { CommandContext } from './CommandContext.js';

/** `relurec merger --nats URL`: checks every running run's fragments and passes each task's once to the coordinator. */
export function mergerCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'merger',
    describe: "Cluster: checks workers' fragments (foreign, malformed, duplicate) and merges each task's once for the coordinator",
    builder: (y: Argv) => withNatsFlags(y),
    handler: ctx.run(async (argv) => {
      const bus = await connectCluster(argv, 'relurec-merger');
      const { startMergerService } = await import('@relurec/merger');
      const service = startMergerService({ bus, log: (m) => ctx.io.stderr(`relurec merger: ${m}\n`) });
      ctx.io.stderr('relurec merger: waiting for runs\n');
      return runService(ctx.io, 'merger', service, () => bus.close());
    }),
  };
}
