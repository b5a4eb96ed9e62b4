import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from './CommandContext.js';
import { notInThisVersion } from './notInThisVersion.js';

/** The cluster services SYSTEM.md names. They are registered so that their names give a clear answer, not 'unknown command'. */
const CLUSTER_COMMANDS = [
  ['merger', 'Cluster: stitches fragments into layers'],
] as const;

export function clusterCommands(ctx: CommandContext): CommandModule[] {
  return CLUSTER_COMMANDS.map(([name, what]) => ({
    command: name,
    describe: `${what} (not in this version)`,
    // Any flags are accepted: the answer is the same whatever follows the name.
    builder: (y: Argv) => y.strict(false),
    handler: ctx.run(async () => {
      throw notInThisVersion(name);
    }),
  }));
}
