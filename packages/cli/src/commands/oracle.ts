import type { Argv, CommandModule } from 'yargs';
import { CliUsageError } from '../cli/CliUsageError.js';
import { exactlyOne, integerFlag, stringFlag } from '../internal/flags.js';
import { natsOptions, withNatsFlags } from '../internal/natsFlags.js';
import { describeSource, openOracleSource, SourceKind, type OracleSource } from '../internal/openOracleSource.js';
import { runService } from '../internal/runService.js';
import type { CommandContext } from './CommandContext.js';
import { oracleServeCommand } from './oracleServe.js';

/**
 * `oracle serve ...` (HTTP) and `oracle --nats URL (--target|--onnx|--oracle)`: the black box served
 * to a cluster's workers over NATS request/reply, so that it stays in one place; it counts every
 * query and enforces --budget.
 */
export function oracleCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'oracle',
    describe: 'The black box as a service: `oracle serve` over HTTP, or `oracle --nats URL` to a cluster',
    builder: (y: Argv) =>
      withNatsFlags(y.command(oracleServeCommand(ctx)), false)
        .option('target', { type: 'string', describe: 'Black box: a relu-net file' })
        .option('onnx', { type: 'string', describe: 'Black box: an ONNX model' })
        .option('oracle', { type: 'string', describe: 'Black box: an HTTP oracle to relay' })
        .option('name', { type: 'string', default: 'default', describe: 'Service name: runs submitted with --oracle-service NAME use it' })
        .option('budget', { type: 'number', describe: 'Most queries this service answers in total' }),
    handler: ctx.run(async (argv) => {
      if (argv.nats === undefined) throw new CliUsageError('oracle needs a subcommand or --nats: relurec oracle serve (--target net.json | --onnx model.onnx) --port P, or relurec oracle --nats URL --target net.json');
      const kind = exactlyOne(argv, [SourceKind.target, SourceKind.onnx, SourceKind.oracle]);
      const source: OracleSource = kind === SourceKind.oracle ? { kind, url: stringFlag(argv.oracle, '--oracle'), headers: [] } : { kind, file: stringFlag(argv[kind], `--${kind}`) };
      const budget = argv.budget === undefined ? undefined : integerFlag(argv.budget, '--budget', 0);
      const name = stringFlag(argv.name, '--name');
      const oracle = await openOracleSource(source);
      const { serveOracleOverNats } = await import('@relurec/oracle-nats');
      const service = await serveOracleOverNats({ ...(await natsOptions(argv)), oracle, name, budget, log: (m) => ctx.io.stderr(`relurec oracle: ${m}\n`) });
      ctx.io.stderr(`relurec oracle: serving ${describeSource(source)} (${oracle.inputDim} inputs, ${oracle.outputDim} outputs) on ${service.subject}${budget === undefined ? '' : `, budget ${budget}`}\n`);
      return runService(ctx.io, 'oracle', {
        async stop() {
          await service.stop();
          ctx.io.stderr(`relurec oracle: answered ${service.queries} queries\n`);
        },
      }, () => oracle.close());
    }),
  };
}
