import type { Argv, CommandModule } from 'yargs';
import { integerFlag } from '../internal/flags.js';
import { connectCluster, withNatsFlags } from '../internal/natsFlags.js';
import { runService } from '../internal/runService.js';
import type { CommandContext } from './CommandContext.js';

/** `relurec coordinator --nats URL`: drives every submitted run over the cluster; resumes runs after a restart. */
export function coordinatorCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'coordinator',
    describe: 'Cluster: owns runs, issues tasks phase by phase, stitches fragments (resumes runs after a restart)',
    builder: (y: Argv) => withNatsFlags(y).option('ack-wait-ms', { type: 'number', default: 30000, describe: 'A task unacknowledged this long is redelivered to another worker' }),
    handler: ctx.run(async (argv) => {
      const { startCoordinatorService } = await import('@relurec/coordinator');
      const bus = await connectCluster(argv, 'relurec-coordinator');
      const service = startCoordinatorService({ bus, ackWaitMs: integerFlag(argv['ack-wait-ms'], '--ack-wait-ms', 1000), log: (m) => ctx.io.stderr(`relurec coordinator: ${m}\n`) });
      ctx.io.stderr('relurec coordinator: waiting for runs\n');
      return runService(ctx.io, 'coordinator', service, () => bus.close());
    }),
  };
}
