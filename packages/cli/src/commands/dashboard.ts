import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../cli/ExitCode.js';
import { integerFlag } from '../internal/flags.js';
import { connectCluster, withNatsFlags } from '../internal/natsFlags.js';
import type { CommandContext } from './CommandContext.js';

/** `relurec dashboard --nats URL`: the live terminal view of workers and runs (plain status lines without a TTY). */
export function dashboardCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'dashboard',
    describe: 'Cluster: live terminal view of workers and runs (q quits, arrows move between runs)',
    builder: (y: Argv) =>
      withNatsFlags(y)
        .option('interval-ms', { type: 'number', default: 1000, describe: 'Milliseconds between redraws (or status lines without a terminal)' })
        .option('missed-beats', { type: 'number', default: 3, describe: 'A worker is lost after this many missed heartbeats' }),
    handler: ctx.run(async (argv) => {
      const intervalMs = integerFlag(argv['interval-ms'], '--interval-ms', 100);
      const missedBeats = integerFlag(argv['missed-beats'], '--missed-beats', 1);
      const bus = await connectCluster(argv, 'relurec-dashboard');
      // Lazy: ink and React stay out of every other command.
      const { runDashboard } = await import('@relurec/dashboard');
      // ink needs stdin in raw mode: interactive only when both ends are terminals.
      const isTTY = process.stdout.isTTY === true && process.stdin.isTTY === true;
      const view = runDashboard({ bus, stdout: process.stdout, stdin: process.stdin, isTTY, intervalMs, model: { missedBeats } });
      await Promise.race([view.closed, ctx.io.stopRequested().then(() => view.stop())]);
      await bus.close();
      return ExitCode.done;
    }),
  };
}
