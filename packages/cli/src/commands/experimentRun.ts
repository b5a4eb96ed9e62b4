import { createHash, randomBytes } from 'node:crypto';
import type { Bus } from '@relurec/bus';
import { connectCluster, withNatsFlags } from '../internal/natsFlags.js';
import type { Argv, CommandModule } from 'yargs';
import type { RecoverCell } from '@relurec/experiment';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, integerFlag, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface ExperimentRunConfig {
  /** JSON file of the ExperimentSpec. */
  readonly spec: string;
  /** Folder of results.jsonl, the report and the networks. */
  readonly out: string;
  /** Worker threads of the embedded pool for settings that name none (recorded with each result). */
  readonly workers: number;
  /** Run every cell on this cluster (NATS connection flags) instead of embedded. */
  readonly nats: Readonly<Record<string, unknown>> | undefined;
}

export function experimentRunConfig(argv: Record<string, unknown>): ExperimentRunConfig {
  return deepFreeze({
    spec: stringFlag(argv.spec, 'spec'),
    out: stringFlag(argv.out, '--out'),
    workers: integerFlag(argv.workers, '--workers', 1),
    nats: argv.nats === undefined ? undefined : Object.fromEntries(['nats', 'creds', 'user', 'password', 'token', 'nkey-seed', 'tls-ca', 'tls-cert', 'tls-key', 'replicas'].filter((k) => argv[k] !== undefined).map((k) => [k, argv[k]])),
  });
}

/**
 * The embedded recovery of one cell: the target behind a counting oracle (with the setting's budget),
 * recovered by recoverNetwork. A spent budget or a failing black box gives an incomplete outcome
 * (network null when nothing was recovered); anything else is a fault and fails the cell.
 */
export function embeddedRecoverCell(io: Pick<CliIo, 'now'>): RecoverCell {
  return async (target, cell) => {
    const { runEmbedded } = await import('@relurec/embedded');
    const { TaskFailedError } = await import('@relurec/recovery');
    const { toDocument } = await import('@relurec/network');
    const { PROTOCOL_VERSION } = await import('@relurec/protocol');
    const started = io.now();
    const seconds = () => Math.round(io.now() - started) / 1000;
    const first = target.layers[0], last = target.layers[target.layers.length - 1];
    const record = {
      v: PROTOCOL_VERSION, runId: `exp-${cell.id.replace(/[^\w-]/g, '_')}`, target: cell.id, oracle: { kind: 'network' as const, name: cell.id, blob: 'target' },
      inputDim: first.inDim, outputDim: last.outDim, seed: cell.setting.recoverySeed, budget: cell.setting.budget ?? null, settings: { domainScale: cell.setting.domainScale }, createdAt: Date.now(),
    };
    try {
      const { result: r } = await runEmbedded(record, { domainScale: cell.setting.domainScale }, {
        workers: cell.setting.workers,
        blobs: { target: new TextEncoder().encode(JSON.stringify(toDocument(target))) },
      });
      const warnings = [...r.warnings];
      if (r.stopped?.budget && !r.complete) warnings.push(`the query budget of ${record.budget} stopped the run`);
      return { network: r.network, complete: r.complete, queries: r.queries, seconds: seconds(), warnings };
    } catch (error) {
      // The survey itself failed (a budget too small to start): nothing learned.
      if (!(error instanceof TaskFailedError)) throw error;
      return { network: null, complete: false, queries: 0, seconds: seconds(), warnings: [error.message] };
    }
  };
}

/**
 * The cluster recovery of one cell: the target goes to the object store, the run is submitted to
 * the cluster's coordinator and followed to its end (workers = the cluster's, whatever the setting).
 */
export function clusterRecoverCell(io: Pick<CliIo, 'now'>, bus: Bus): RecoverCell {
  return async (target, cell) => {
    const { followRun, submitRun } = await import('@relurec/coordinator');
    const { parseNetwork, toDocument } = await import('@relurec/network');
    const { PROTOCOL_VERSION } = await import('@relurec/protocol');
    const started = io.now();
    const first = target.layers[0], last = target.layers[target.layers.length - 1];
    const text = new TextEncoder().encode(JSON.stringify(toDocument(target)));
    const blob = `model-exp-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    const runId = `exp-${cell.id.replace(/[^\w-]/g, '_')}-${randomBytes(3).toString('hex')}`.slice(0, 64);
    await submitRun(bus, {
      v: PROTOCOL_VERSION, runId, target: cell.id, oracle: { kind: 'network', name: cell.id, blob },
      inputDim: first.inDim, outputDim: last.outDim, seed: cell.setting.recoverySeed, budget: cell.setting.budget ?? null, settings: { domainScale: cell.setting.domainScale }, createdAt: Date.now(),
    }, { [blob]: text });
    const { status, stored } = await followRun(bus, runId);
    const seconds = Math.round(io.now() - started) / 1000;
    if (!stored) return { network: null, complete: false, queries: status.queries, seconds, warnings: [`run ${runId} failed on the cluster: ${status.reason ?? 'no reason given'}`] };
    return { network: parseNetwork(stored.network, `run ${runId}`), complete: stored.result.complete, queries: stored.result.queries, seconds, warnings: stored.result.warnings };
  };
}

/**
 * Runs (or resumes) an experiment with the embedded recovery, then writes its report. One line per
 * cell on stderr; a summary on stdout. SIGINT/SIGTERM stop it after the current cell.
 * @returns 0 when every cell is finished (whatever the recoveries' verdicts: they are in the report), 1 when stopped early
 * @throws CliUsageError for a bad spec or results file
 */
export async function runExperimentRun(config: ExperimentRunConfig, io: CliIo, recoverCell?: RecoverCell): Promise<ExitCode> {
  const cluster = config.nats !== undefined ? await connectCluster(config.nats, 'relurec-experiment') : undefined;
  try {
    return await runExperimentWith(config, io, recoverCell ?? (cluster ? clusterRecoverCell(io, cluster) : embeddedRecoverCell(io)));
  } finally {
    await cluster?.close();
  }
}

async function runExperimentWith(config: ExperimentRunConfig, io: CliIo, recover: RecoverCell): Promise<ExitCode> {
  const { ExperimentSpecError, ResultsFileError, loadExperimentSpec, runExperiment, writeReport } = await import('@relurec/experiment');
  const badInput = (error: unknown): never => {
    if (error instanceof ExperimentSpecError || error instanceof ResultsFileError) throw new CliUsageError(error.message, undefined, { cause: error });
    throw error;
  };
  const spec = await loadExperimentSpec(config.spec).catch(badInput);
  const controller = new AbortController();
  void io.stopRequested().then((signal) => {
    io.stderr(`relurec: ${signal}: stopping after the current cell\n`);
    controller.abort();
  });
  const summary = await runExperiment({
    spec,
    outDir: config.out,
    recover,
    signal: controller.signal,
    defaults: { workers: config.workers },
    log: (message) => io.stderr(`${message}\n`),
  }).catch(badInput);
  const report = await writeReport(config.out).catch(badInput);
  const finished = summary.results.length;
  const complete = summary.results.filter((r) => r.complete).length;
  const matched = summary.results.filter((r) => r.allMatched).length;
  io.stdout(
    `experiment: ${finished} of ${summary.cells} cells finished (${summary.skipped} from before, ${summary.ran} now): ` +
      `${complete} complete, ${matched} with every neuron matched\n` +
      `wrote ${[summary.resultsFile, ...report.files].join(', ')}\n`,
  );
  if (summary.stopped) {
    io.stdout(`stopped before every cell was run: the same command resumes\n`);
    return ExitCode.incomplete;
  }
  return ExitCode.done;
}

export function experimentRunCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'run <spec>',
    describe: 'Run (or resume) an experiment: every architecture x init x seed x setting, recovered and judged',
    builder: (y: Argv) =>
      withNatsFlags(y, false)
        .positional('spec', { type: 'string', describe: 'Experiment spec (JSON): {architectures, inits, seeds, settings?, training?, fidelitySamples?}' })
        .option('out', { type: 'string', demandOption: true, describe: 'Folder for results.jsonl, report.md, the charts and networks/' })
        .option('workers', { type: 'number', default: 1, describe: 'Worker threads (embedded) for settings that name none; recorded with each result' })
        .example('$0 experiment run spec.json --out runs/exp1', '')
        .epilog(
          'Spec: {"architectures": ["10-20-1"], "inits": ["rk", "carlini", "balanced", "trained"], "seeds": [1, 2],\n' +
            '       "settings": [{"name": "default", "workers": 1, "budget": 100000, "domainScale": 1, "recoverySeed": 1}]}\n' +
            'Cells already in results.jsonl are skipped, so an interrupted run resumes with the same command.\n' +
            'Exit codes: 0 every cell finished (see the report for each verdict), 1 stopped early or a cell failed, 2 bad spec or usage.',
        ),
    handler: ctx.run((argv) => runExperimentRun(experimentRunConfig(argv), ctx.io)),
  };
}
