import type { Argv, CommandModule } from 'yargs';
import { createBudgetedOracle, createOracleServer, type CountingOracle } from '@relurec/oracle';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, exactlyOne, integerFlag, nonNegativeFlag, stringFlag } from '../internal/flags.js';
import { describeSource, openOracleSource, SourceKind, type OracleSource } from '../internal/openOracleSource.js';
import type { CommandContext } from './CommandContext.js';

export interface OracleServeConfig {
  /** A relu-net file or an ONNX model (not another HTTP oracle). */
  readonly source: Exclude<OracleSource, { kind: 'oracle' }>;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  readonly host: string;
  /** Delay before each answer, in ms. */
  readonly latencyMs: number;
  /** Most queries the server answers in total; undefined for none. */
  readonly budget: number | undefined;
}

export function oracleServeConfig(argv: Record<string, unknown>): OracleServeConfig {
  const kind = exactlyOne(argv, [SourceKind.target, SourceKind.onnx]);
  const port = integerFlag(argv.port, '--port', 0);
  if (port > 65535) throw new CliUsageError(`--port must be at most 65535, got ${port}`, '--port');
  return deepFreeze({
    source: { kind, file: stringFlag(argv[kind], `--${kind}`) },
    port,
    host: stringFlag(argv.host, '--host'),
    latencyMs: nonNegativeFlag(argv['latency-ms'], '--latency-ms'),
    budget: argv.budget === undefined ? undefined : integerFlag(argv.budget, '--budget', 0),
  });
}

/** A running oracle server and the oracle behind it. */
export interface RunningOracle {
  /** Base URL for `recover --oracle`. */
  readonly url: string;
  /** Counts every answered query. */
  readonly oracle: CountingOracle;
  /** Stops the server, then closes the oracle. */
  close(): Promise<void>;
}

/** Serves a relu-net file or an ONNX model over the HTTP oracle protocol. */
export async function startOracle(config: OracleServeConfig): Promise<RunningOracle> {
  const oracle = createBudgetedOracle(await openOracleSource(config.source), { budget: config.budget });
  try {
    const server = await createOracleServer(oracle, { host: config.host, port: config.port, latencyMs: config.latencyMs });
    return {
      url: server.url,
      oracle,
      async close() {
        await server.close();
        await oracle.close();
      },
    };
  } catch (error) {
    await oracle.close();
    throw error;
  }
}

/** Prints the URL as the first line of stdout, then serves until SIGINT/SIGTERM. */
export async function runOracleServe(config: OracleServeConfig, io: CliIo): Promise<ExitCode> {
  const stop = io.stopRequested();
  const running = await startOracle(config);
  io.stdout(`${running.url}\n`);
  const { inputDim, outputDim } = running.oracle;
  const budget = config.budget === undefined ? '' : `, budget ${config.budget} queries`;
  io.stderr(`relurec: serving ${describeSource(config.source)} (${inputDim} inputs, ${outputDim} outputs${budget}) at ${running.url}; Ctrl-C stops\n`);
  const signal = await stop;
  await running.close();
  io.stderr(`relurec: ${signal}: stopped after answering ${running.oracle.queries} queries\n`);
  return ExitCode.done;
}

export function oracleServeCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'serve',
    describe: 'Serve a network as an HTTP black box (GET /info, POST /query) until SIGINT/SIGTERM',
    builder: (y: Argv) =>
      y
        .option('target', { type: 'string', describe: 'relu-net file to serve' })
        .option('onnx', { type: 'string', describe: 'ONNX model to serve' })
        .option('port', { type: 'number', default: 8080, describe: 'TCP port (0: a free one); the URL is the first line on stdout' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on (0.0.0.0 for all)' })
        .option('latency-ms', { type: 'number', default: 0, describe: 'Delay before each answer, to simulate a remote API' })
        .option('budget', { type: 'number', describe: 'Most queries answered in total; then 403 QueryBudgetExceededError' })
        .example('$0 oracle serve --target net.json --port 8080', ''),
    handler: ctx.run((argv) => runOracleServe(oracleServeConfig(argv), ctx.io)),
  };
}
