import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { Init } from '@relurec/network';
import type { CliIo } from '../cli/CliIo.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, integerFlag, stringFlag } from '../internal/flags.js';
import { SourceKind } from '../internal/openOracleSource.js';
import { runCompare } from './compare.js';
import { runGenerate } from './generate.js';
import { startOracle } from './oracleServe.js';
import { printRecoverReport, recover, type RecoverConfig } from './recover.js';
import type { CommandContext } from './CommandContext.js';

export interface DemoConfig {
  /** Folder for target.json and recovered.json; undefined for a fresh temporary folder. */
  readonly dir: string | undefined;
  /** Seed of the target network and of the run. */
  readonly seed: number;
  /** Widths of the target. */
  readonly architecture: readonly number[];
}

export function demoConfig(argv: Record<string, unknown>): DemoConfig {
  return deepFreeze({
    dir: argv.dir === undefined ? undefined : stringFlag(argv.dir, '--dir'),
    seed: integerFlag(argv.seed, '--seed'),
    architecture: [10, 10, 1],
  });
}

/**
 * The end-to-end demo with no server to install: generate a target, serve it as an HTTP black box
 * on a free local port, recover it through that URL, and judge the result against the truth.
 * @returns recover's exit code
 */
export async function runDemo(config: DemoConfig, io: CliIo): Promise<ExitCode> {
  const dir = config.dir ?? (await mkdtemp(join(tmpdir(), 'relurec-demo-')));
  await mkdir(dir, { recursive: true });
  const target = join(dir, 'target.json'), recovered = join(dir, 'recovered.json');

  io.stdout('== 1. generate a random target network (the secret)\n');
  await runGenerate({ architecture: config.architecture, seed: config.seed, init: Init.rk, name: undefined, out: target }, io);

  const running = await startOracle({ source: { kind: SourceKind.target, file: target }, port: 0, host: '127.0.0.1', latencyMs: 0, budget: undefined });
  let complete: boolean, wrote: boolean;
  try {
    io.stdout(`\n== 2. serve it as a black box at ${running.url} (only GET /info and POST /query from here on)\n`);
    io.stdout(`\n== 3. recover it from queries\n`);
    const recoverConfig: RecoverConfig = deepFreeze({
      source: { kind: SourceKind.oracle, url: running.url, headers: [] },
      out: recovered,
      seed: config.seed,
      budget: undefined,
      domainScale: 1,
      workers: undefined,
      tasksPerThread: 1,
      traceWave: 1,
      planWidth: 1,
      resume: undefined,
      stateDir: undefined,
      nats: undefined,
      service: undefined,
      json: false,
    });
    const report = await recover(recoverConfig, io);
    printRecoverReport(report, recoverConfig, io);
    complete = report.complete;
    wrote = report.out !== null;
  } finally {
    await running.close();
  }

  if (wrote) {
    io.stdout('\n== 4. judge: compare the recovered network with the secret one\n');
    await runCompare(
      { truth: target, recovered, samples: undefined, seed: undefined, domainScale: undefined, unusedSamples: undefined, exactUnused: true, json: false },
      io,
    );
  }
  io.stdout(`\nfiles: ${target}, ${recovered}\n`);
  return complete ? ExitCode.done : ExitCode.incomplete;
}

export function demoCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'demo',
    describe: 'End-to-end demo, no server needed: generate a 10-10-1 net, serve it over HTTP locally, recover it, compare',
    builder: (y: Argv) =>
      y
        .option('dir', { type: 'string', describe: 'Folder for target.json and recovered.json (default: a new temporary folder)' })
        .option('seed', { type: 'number', default: 1, describe: 'Seed of the target and of the run' }),
    handler: ctx.run((argv) => runDemo(demoConfig(argv), ctx.io)),
  };
}
