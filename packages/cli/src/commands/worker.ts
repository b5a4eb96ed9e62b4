import type { Argv, CommandModule } from 'yargs';
import { integerFlag } from '../internal/flags.js';
import { connectCluster, natsOptions, withNatsFlags } from '../internal/natsFlags.js';
import { runService } from '../internal/runService.js';
import type { CommandContext } from './CommandContext.js';

/** `relurec worker --nats URL [--threads N]`: runs tasks of any run on a thread pool and heartbeats. */
export function workerCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'worker',
    describe: 'Cluster: pulls tasks, runs them on a thread pool, publishes fragments, heartbeats',
    builder: (y: Argv) =>
      withNatsFlags(y)
        .option('threads', { type: 'number', describe: 'Pool threads (default: one per core)' })
        .option('tasks-per-thread', { type: 'number', default: 1, describe: 'Tasks each thread runs at once: above 1 their black-box waits overlap (a latency-bound black box)' })
        .option('heartbeat-ms', { type: 'number', default: 1000, describe: 'Milliseconds between heartbeats' })
        .option('ack-wait-ms', { type: 'number', default: 30000, describe: 'A task unacknowledged this long is redelivered to another worker' }),
    handler: ctx.run(async (argv) => {
      const threads = argv.threads === undefined ? undefined : integerFlag(argv.threads, '--threads', 1);
      const heartbeatMs = integerFlag(argv['heartbeat-ms'], '--heartbeat-ms', 50);
      const ackWaitMs = integerFlag(argv['ack-wait-ms'], '--ack-wait-ms', 1000);
      const tasksPerThread = integerFlag(argv['tasks-per-thread'], '--tasks-per-thread', 1);
      const { createTaskPool, startWorker } = await import('@relurec/worker');
      const nats = await natsOptions(argv);
      const bus = await connectCluster(argv, 'relurec-worker');
      const pool = createTaskPool({ threads, tasksPerThread });
      const worker = startWorker({ bus, pool, heartbeatMs, ackWaitMs, natsOracle: { ...nats } });
      ctx.io.stderr(`relurec worker ${worker.id}: ${pool.threads} threads x ${pool.tasksPerThread} tasks, waiting for tasks\n`);
      return runService(ctx.io, 'worker', worker, async () => {
        await pool.close();
        await bus.close();
      });
    }),
  };
}
