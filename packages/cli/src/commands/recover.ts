import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { formatArchitecture, saveNetwork } from '@relurec/network';
import { parseHeaderOption, type HeaderOption } from '@relurec/oracle';
import { PROTOCOL_VERSION, type OracleSpec, type RunRecord } from '@relurec/protocol';
import type { LayerReport, RecoveryResult } from '@relurec/recovery';
import { createTaskPool, type TaskPool } from '@relurec/worker';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { createProgress } from '../internal/createProgress.js';
import { deepFreeze, exactlyOne, integerFlag, positiveFlag, repeatedFlag, stringFlag } from '../internal/flags.js';
import { describeSource, openOracleSource, SourceKind, type OracleSource } from '../internal/openOracleSource.js';
import { toJson } from '../internal/toJson.js';
import { connectCluster, natsOptions, withNatsFlags } from '../internal/natsFlags.js';
import type { CommandContext } from './CommandContext.js';

export interface RecoverConfig {
  /** The black box; undefined only when resuming (the run's record names it). */
  readonly source: OracleSource | undefined;
  /** relu-net file the recovered network is written to. */
  readonly out: string;
  /** Run seed: every random choice of the recovery derives from it. */
  readonly seed: number;
  /** Hard limit on queries (rows sent to the black box); undefined for none. */
  readonly budget: number | undefined;
  /** Inputs live where N(0, domainScale^2 I) puts them. */
  readonly domainScale: number;
  /** Seeds traced in parallel per wave (recorded in the run: part of the result). */
  readonly traceWave: number;
  /** Tasks per phase the plan aims at (recorded in the run: part of the result). */
  readonly planWidth: number;
  /** Threads of the embedded worker pool; undefined for one per core. */
  readonly workers: number | undefined;
  /** Tasks each embedded thread runs at once (their black-box waits overlap). */
  readonly tasksPerThread: number;
  /** Run id to resume (its state is in stateDir). */
  readonly resume: string | undefined;
  /** Where the run keeps its record and fragments; default .relurec beside --out. */
  readonly stateDir: string | undefined;
  /** The cluster's oracle service by name (--oracle-service), instead of a source: the black box stays where it is served. */
  readonly service: string | undefined;
  /** Submit to a cluster (NATS connection flags) instead of running embedded. */
  readonly nats: Readonly<Record<string, unknown>> | undefined;
  /** Print the machine-readable report instead of the summary. */
  readonly json: boolean;
}

export const RecoveryStatus = { complete: 'complete', incomplete: 'incomplete' } as const;
export type RecoveryStatus = (typeof RecoveryStatus)[keyof typeof RecoveryStatus];

/** What `recover --json` prints. */
export interface RecoverReport {
  readonly status: RecoveryStatus;
  readonly complete: boolean;
  /** Queries (rows) the black box answered, as counted by the oracle. */
  readonly queries: number;
  /** Wall-clock seconds of the run, oracle connection included. */
  readonly seconds: number;
  /** Recovered widths from input to output; null when nothing was recovered. */
  readonly architecture: number[] | null;
  readonly layers: LayerReport[];
  readonly warnings: string[];
  /** What is missing when incomplete. */
  readonly missing: string[];
  /** The file written; null when there was no network to write. */
  readonly out: string | null;
  /** The budget and whether it stopped a batch; null when the run had no budget. */
  readonly budget: { limit: number; used: number; exhausted: boolean } | null;
  /** Why the run stopped early, when it did (the error message). */
  readonly stoppedBy: string | null;
  /** The run id (for --resume) and the black box it recovered. */
  readonly runId: string;
  /** Tasks the run issued, and of those answered by fragments kept from before an interruption (--resume). */
  readonly tasks: { issued: number; replayed: number } | null;
  readonly source: string;
}

export function recoverConfig(argv: Record<string, unknown>): RecoverConfig {
  const resume = argv.resume === undefined ? undefined : stringFlag(argv.resume, '--resume');
  const service = argv['oracle-service'] === undefined ? undefined : stringFlag(argv['oracle-service'], '--oracle-service');
  if (service !== undefined && argv.nats === undefined) throw new CliUsageError('--oracle-service names a cluster\'s oracle service: it needs --nats', '--oracle-service');
  const given = [SourceKind.target, SourceKind.oracle, SourceKind.onnx].filter((k) => argv[k] !== undefined);
  if (service !== undefined && given.length > 0) throw new CliUsageError(`give the black box once: --oracle-service or --${given[0]}`, '--oracle-service');
  const kind = (resume !== undefined || service !== undefined) && given.length === 0 ? undefined : exactlyOne(argv, [SourceKind.target, SourceKind.oracle, SourceKind.onnx]);
  const headerTexts = repeatedFlag(argv['oracle-header'], '--oracle-header');
  if (headerTexts.length > 0 && kind !== SourceKind.oracle) {
    throw new CliUsageError('--oracle-header goes with --oracle (an HTTP oracle) only', '--oracle-header');
  }
  let source: OracleSource | undefined;
  if (kind === undefined) source = undefined;
  else if (kind === SourceKind.oracle) {
    const headers: HeaderOption[] = headerTexts.map((text) => {
      try {
        return parseHeaderOption(text);
      } catch (cause) {
        throw new CliUsageError(`--oracle-header: ${(cause as Error).message}`, '--oracle-header', { cause });
      }
    });
    source = { kind, url: stringFlag(argv.oracle, '--oracle'), headers };
  } else {
    source = { kind, file: stringFlag(argv[kind], `--${kind}`) };
  }
  return deepFreeze({
    source,
    out: stringFlag(argv.out, '--out'),
    seed: integerFlag(argv.seed, '--seed'),
    budget: argv.budget === undefined ? undefined : integerFlag(argv.budget, '--budget', 0),
    domainScale: positiveFlag(argv['domain-scale'], '--domain-scale'),
    workers: argv.workers === undefined ? undefined : integerFlag(argv.workers, '--workers', 1),
    tasksPerThread: integerFlag(argv['tasks-per-thread'] ?? 1, '--tasks-per-thread', 1),
    planWidth: integerFlag(argv['plan-width'] ?? 1, '--plan-width', 1),
    traceWave: integerFlag(argv['trace-wave'] ?? argv['plan-width'] ?? 1, '--trace-wave', 1),
    resume,
    stateDir: argv['state-dir'] === undefined ? undefined : stringFlag(argv['state-dir'], '--state-dir'),
    service,
    nats: argv.nats === undefined ? undefined : Object.fromEntries(['nats', 'creds', 'user', 'password', 'token', 'nkey-seed', 'tls-ca', 'tls-cert', 'tls-key', 'replicas'].filter((k) => argv[k] !== undefined).map((k) => [k, argv[k]])),
    json: argv.json === true,
  });
}

/**
 * Runs a recovery against the black box and writes what was learned (complete or not) with its
 * meta: queries, seconds, settings, status, warnings, missing. Progress goes to stderr.
 * Prints nothing on stdout (see printRecoverReport).
 * @throws CliUsageError / NetworkFormatError / OnnxModelError when the source or --out is bad (nothing is queried then)
 */
export async function recover(config: RecoverConfig, io: CliIo): Promise<RecoverReport> {
  const workers = config.workers ?? availableParallelism();
  // Embedded: the pool's threads start now (synchronously, before yargs formats its help text) and
  // load their modules beside this thread's own start-up (oracle probe, imports, the run record);
  // made when the pool was first needed, the first task waited ~100 ms for them.
  const pool = config.nats === undefined ? createTaskPool({ threads: workers, tasksPerThread: config.tasksPerThread }) : undefined;
  try {
    return await recoverWith(config, io, workers, pool);
  } finally {
    await pool?.close();
  }
}

async function recoverWith(config: RecoverConfig, io: CliIo, workers: number, pool: TaskPool | undefined): Promise<RecoverReport> {
  await checkOutDirectory(config.out);
  const started = io.now();
  const stateDir = config.stateDir ?? join(dirname(config.out), '.relurec');
  const { InProcessBus } = await import('@relurec/bus/inprocess');
  // Where the run lives: the cluster's bus, or (embedded) a state directory for --resume.
  const where = config.nats !== undefined ? `the cluster at ${String(config.nats.nats)}` : stateDir;
  const cluster = config.nats !== undefined ? await connectCluster(config.nats, 'relurec-recover') : undefined;
  try {
  // The run record: a new one, or the stored one of the run being resumed.
  let record: RunRecord;
  let blobs: Record<string, Uint8Array> = {};
  if (config.resume !== undefined) {
    const store = cluster ?? new InProcessBus({ dir: stateDir });
    const stored = await store.getRun(config.resume).finally(() => (cluster ? undefined : store.close()));
    if (!stored) throw new CliUsageError(`--resume: no run '${config.resume}' in ${where} (give --state-dir where the run kept its state)`, '--resume');
    if (config.source !== undefined && describeSource(config.source) !== stored.target) {
      throw new CliUsageError(`--resume: run '${config.resume}' recovers ${stored.target}, not ${describeSource(config.source)}`, '--resume');
    }
    record = stored;
  } else if (config.service !== undefined) {
    // The oracle service answers for the black box: its info gives the dimensions.
    const { connectNatsOracle } = await import('@relurec/oracle-nats');
    const probe = await connectNatsOracle({ ...(await natsOptions(config.nats!)), name: config.service });
    const dims = { inputDim: probe.inputDim, outputDim: probe.outputDim };
    await probe.close();
    const runId = `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    record = {
      v: PROTOCOL_VERSION, runId, target: `oracle service '${config.service}'`, oracle: { kind: 'service', name: config.service }, ...dims, seed: config.seed,
      budget: config.budget ?? null, settings: { domainScale: config.domainScale, traceWave: config.traceWave, planWidth: config.planWidth }, createdAt: Date.now(),
    };
  } else {
    const source = config.source!;
    // Opened here once to check it and read its dimensions; the pool threads open their own.
    const probe = await openOracleSource(source);
    const dims = { inputDim: probe.inputDim, outputDim: probe.outputDim };
    await probe.close();
    let oracle: OracleSpec;
    if (source.kind === SourceKind.target) {
      const bytes = await readFile(source.file);
      const blob = `model-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`;
      blobs = { [blob]: bytes };
      oracle = { kind: 'network', name: source.file, blob };
    } else if (source.kind === SourceKind.onnx) oracle = { kind: 'onnx', file: resolve(source.file) };
    else oracle = { kind: 'http', url: source.url, headers: source.headers.map((h) => ({ name: h.name, value: h.value })) };
    const runId = `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    record = {
      v: PROTOCOL_VERSION, runId, target: describeSource(source), oracle, ...dims, seed: config.seed, budget: config.budget ?? null,
      settings: { domainScale: config.domainScale, traceWave: config.traceWave, planWidth: config.planWidth }, createdAt: Date.now(),
    };
  }
  const domainScale = typeof record.settings.domainScale === 'number' ? record.settings.domainScale : config.domainScale;
  let queries = 0;
  const seconds = (): number => Math.round(io.now() - started) / 1000;
  const progress = createProgress(io, { status: () => `[${seconds().toFixed(1)}s]`, queries: () => queries, budget: record.budget });
  io.stderr(cluster
    ? `relurec: run ${record.runId} on ${where} (follow it again with --resume ${record.runId})\n`
    : `relurec: run ${record.runId} (${workers} worker thread${workers > 1 ? 's' : ''}${config.tasksPerThread > 1 ? ` x ${config.tasksPerThread} tasks` : ''}; state in ${stateDir}; after an interruption: --resume ${record.runId})\n`);
  progress.update(`recovering from ${record.target} (${record.inputDim} inputs, ${record.outputDim} outputs)`);

  const { runEmbedded } = await import('@relurec/embedded');
  const { recoverySettings } = await import('@relurec/coordinator');
  const { TaskFailedError } = await import('@relurec/recovery');
  let result: RecoveryResult | undefined;
  let tasks: { issued: number; replayed: number } | null = null;
  let stoppedBy: { name: string; message: string; budget: boolean } | undefined;
  try {
    if (cluster) {
      const { followRun, submitRun } = await import('@relurec/coordinator');
      const { parseNetwork } = await import('@relurec/network');
      if (config.resume === undefined) await submitRun(cluster, record, blobs);
      const { status, stored } = await followRun(cluster, record.runId, (s) => {
        queries = s.queries;
        progress.update(`${s.phase} (layer ${s.layer}, neurons ${s.neurons.join('-') || '-'}, tasks ${s.tasksDone})`);
      });
      if (!stored) throw new Error(`run ${record.runId} failed on the cluster: ${status.reason ?? 'no reason given'}`);
      const got: RecoveryResult = { ...stored.result, network: parseNetwork(stored.network, `run ${record.runId}`) };
      result = got;
      stoppedBy = got.stopped;
    } else {
      const outcome = await runEmbedded(record, recoverySettings(record.settings), {
        pool,
        stateDir,
        blobs,
        log: (message) => progress.update(message),
        progress: (p) => { queries = p.queries; },
      });
      result = outcome.result;
      tasks = outcome.tasks;
      stoppedBy = result.stopped;
    }
  } catch (error) {
    // The first phase failed (budget 0, black box down): nothing was learned.
    if (!(error instanceof TaskFailedError)) throw error;
    stoppedBy = error.failure;
  } finally {
    progress.done();
  }
  const used = result?.queries ?? queries;
  const exhausted = stoppedBy?.budget === true;
  const budget = record.budget === null ? null : { limit: record.budget, used, exhausted };
  const settings = {
    seed: record.seed,
    budget: record.budget,
    domainScale,
    traceWave: typeof record.settings.traceWave === 'number' ? record.settings.traceWave : 1,
    planWidth: typeof record.settings.planWidth === 'number' ? record.settings.planWidth : 1,
    workers,
    tasksPerThread: config.tasksPerThread,
    runId: record.runId,
    source: record.target,
  };
  if (result === undefined) {
    const why = exhausted
      ? `the query budget of ${record.budget} was spent before any layer was recovered`
      : 'the black box failed before any layer was recovered';
    return {
      status: RecoveryStatus.incomplete,
      complete: false,
      queries: used,
      seconds: seconds(),
      architecture: null,
      layers: [],
      warnings: [],
      missing: [`everything: ${why}; no network was written`],
      out: null,
      budget,
      stoppedBy: stoppedBy ? `${stoppedBy.name}: ${stoppedBy.message}` : null,
      runId: record.runId,
      source: record.target,
      tasks,
    };
  }
  const status = result.complete ? RecoveryStatus.complete : RecoveryStatus.incomplete;
  const warnings = [...result.warnings];
  const missing = [...result.missing];
  if (exhausted && !warnings.some((w) => w.includes('budget'))) warnings.push(`the query budget stopped the run: ${stoppedBy!.message}`);
  const meta = {
    ...result.network.meta,
    recoveredBy: 'relurec recover',
    queries: used,
    seconds: seconds(),
    settings,
    status,
    warnings,
    missing,
  };
  await saveNetwork(config.out, { ...result.network, meta });
  return {
    status,
    complete: result.complete,
    queries: used,
    seconds: meta.seconds,
    architecture: [...result.architecture],
    layers: result.layers,
    warnings,
    missing,
    out: config.out,
    budget,
    stoppedBy: stoppedBy ? `${stoppedBy.name}: ${stoppedBy.message}` : null,
    runId: record.runId,
    source: record.target,
    tasks,
  };
  } finally {
    await cluster?.close();
  }
}

export function printRecoverReport(report: RecoverReport, config: RecoverConfig, io: CliIo): void {
  if (config.json) {
    io.stdout(`${toJson(report)}\n`);
    return;
  }
  const lines: string[] = [];
  const arch = report.architecture === null ? 'nothing' : formatArchitecture(report.architecture);
  lines.push(`recovered ${arch} from ${report.source}: ${report.status.toUpperCase()}`);
  lines.push(`queries ${report.queries}  time ${report.seconds.toFixed(1)} s`);
  if (report.budget !== null) {
    const b = report.budget;
    lines.push(`budget ${b.limit} queries: ${b.used} used${b.exhausted ? ', EXHAUSTED (a batch was refused)' : ''}`);
  }
  for (const l of report.layers) {
    const signs = l.signs === undefined ? '' : `, signs ${l.signs.method} (margin ${l.signs.margin.toExponential(1)})`;
    lines.push(`layer ${l.layer}: ${l.width} neurons, fit ${l.fit}${signs}`);
  }
  if (report.stoppedBy !== null) lines.push(`stopped: ${report.stoppedBy}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  for (const m of report.missing) lines.push(`missing: ${m}`);
  if (report.tasks !== null && report.tasks.replayed > 0) lines.push(`resumed run ${report.runId}: ${report.tasks.replayed} of ${report.tasks.issued} tasks were already done`);
  lines.push(report.out === null ? 'no file written' : `wrote ${report.out}`);
  io.stdout(`${lines.join('\n')}\n`);
}

export async function runRecover(config: RecoverConfig, io: CliIo): Promise<ExitCode> {
  const report = await recover(config, io);
  printRecoverReport(report, config, io);
  return report.complete ? ExitCode.done : ExitCode.incomplete;
}

async function checkOutDirectory(out: string): Promise<void> {
  const dir = dirname(out);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliUsageError(`--out: directory '${dir}' does not exist`, '--out');
}

export function recoverCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'recover',
    describe: 'Recover an unknown ReLU network (architecture and weights) from queries to a black box',
    builder: (y: Argv) =>
      withNatsFlags(y, false)
        .option('target', { type: 'string', describe: 'Black box: a relu-net file (evaluated locally; its weights are never read by the recovery)' })
        .option('oracle', { type: 'string', describe: 'Black box: base URL of an HTTP oracle (GET /info, POST /query)' })
        .option('onnx', { type: 'string', describe: 'Black box: an ONNX model of a ReLU MLP (onnxruntime, CPU)' })
        .option('out', { type: 'string', demandOption: true, describe: 'relu-net file for the recovered network (written even when incomplete)' })
        .option('seed', { type: 'number', default: 1, describe: 'Run seed' })
        .option('budget', { type: 'number', describe: 'Most queries (input rows) ever sent; the run stops, writes what it has and exits 1 when it is spent' })
        .option('domain-scale', { type: 'number', default: 1, alias: 'domain', describe: 'Inputs of interest ~ N(0, S^2 I)' })
        .option('workers', { type: 'number', describe: 'Worker threads of the embedded pool (default: one per core); the result does not depend on it' })
        .option('tasks-per-thread', { type: 'number', describe: 'Tasks each worker thread runs at once (default 1): above 1 their black-box waits overlap, e.g. --workers 2 --tasks-per-thread 4 keeps 8 tasks in flight against a slow remote black box without 8 threads; the result does not depend on it' })
        .option('trace-wave', { type: 'number', describe: 'Seeds traced in parallel in deeper layers (part of the result; default: the plan width)' })
        .option('plan-width', { type: 'number', default: 1, describe: 'Tasks per phase the plan aims at: layer-1 segments handled together, seeds per trace wave, a parallel rare-neuron search (part of the result; 8 suits a latency-bound black box on 8 workers, for ~20% more queries)' })
        .option('state-dir', { type: 'string', describe: 'Where the run keeps its record and fragments for --resume (default: .relurec beside --out)' })
        .option('oracle-header', { type: 'string', describe: "HTTP header for --oracle, 'Name: value' (repeatable), e.g. 'Authorization: Bearer KEY'" })
        .option('oracle-service', { type: 'string', describe: "Black box: the cluster's oracle service of this name (`relurec oracle --nats URL --target ...`); needs --nats" })
        .option('resume', { type: 'string', describe: 'Run id to resume: finished tasks are not redone (the black-box flags may be left out)' })
        .option('json', { type: 'boolean', default: false, describe: 'Print a machine-readable report instead of the summary' })
        .example('$0 recover --target net.json --out rec.json', '')
        .example("$0 recover --oracle http://127.0.0.1:8080 --oracle-header 'Authorization: Bearer KEY' --budget 100000 --out rec.json", '')
        .epilog('Exit codes: 0 complete, 1 incomplete (the file is still written when anything was recovered), 2 bad input or usage.'),
    handler: ctx.run((argv) => runRecover(recoverConfig(argv), ctx.io)),
  };
}
