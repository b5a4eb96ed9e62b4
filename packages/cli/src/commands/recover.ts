import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { formatArchitecture, saveNetwork } from '@relurec/network';
import { createBudgetedOracle, OracleError, parseHeaderOption, QueryBudgetExceededError, type HeaderOption } from '@relurec/oracle';
import type { LayerReport, RecoveryResult } from '@relurec/recovery';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { createProgress } from '../internal/createProgress.js';
import { deepFreeze, exactlyOne, integerFlag, positiveFlag, repeatedFlag, stringFlag } from '../internal/flags.js';
import { describeSource, openOracleSource, SourceKind, type OracleSource } from '../internal/openOracleSource.js';
import { toJson } from '../internal/toJson.js';
import type { CommandContext } from './CommandContext.js';

export interface RecoverConfig {
  readonly source: OracleSource;
  /** relu-net file the recovered network is written to. */
  readonly out: string;
  /** Run seed: every random choice of the recovery derives from it. */
  readonly seed: number;
  /** Hard limit on queries (rows sent to the black box); undefined for none. */
  readonly budget: number | undefined;
  /** Inputs live where N(0, domainScale^2 I) puts them. */
  readonly domainScale: number;
  /** Requested workers; recorded in meta (embedded runs use one process in this version). */
  readonly workers: number | undefined;
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
}

export function recoverConfig(argv: Record<string, unknown>): RecoverConfig {
  if (argv.nats !== undefined) {
    throw new CliUsageError('--nats needs the cluster, not in this version (drop --nats: the embedded run needs no server)', '--nats');
  }
  if (argv.resume !== undefined) {
    throw new CliUsageError("--resume needs the cluster's durable run state, not in this version", '--resume');
  }
  const kind = exactlyOne(argv, [SourceKind.target, SourceKind.oracle, SourceKind.onnx]);
  const headerTexts = repeatedFlag(argv['oracle-header'], '--oracle-header');
  if (headerTexts.length > 0 && kind !== SourceKind.oracle) {
    throw new CliUsageError('--oracle-header goes with --oracle (an HTTP oracle) only', '--oracle-header');
  }
  let source: OracleSource;
  if (kind === SourceKind.oracle) {
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
  await checkOutDirectory(config.out);
  const started = io.now();
  const inner = await openOracleSource(config.source);
  const oracle = createBudgetedOracle(inner, { budget: config.budget });
  if (config.workers !== undefined && config.workers > 1) {
    io.stderr(`relurec: note: embedded runs use one process in this version; --workers ${config.workers} is recorded in meta only\n`);
  }
  let refusal: QueryBudgetExceededError | undefined;
  const query = async (inputs: Float64Array, rows: number): Promise<Float64Array> => {
    try {
      return await oracle.query(inputs, rows);
    } catch (error) {
      // The engine may catch this and return what it learned; remember it so the report can name the budget.
      if (error instanceof QueryBudgetExceededError) refusal = error;
      throw error;
    }
  };
  const seconds = (): number => Math.round(io.now() - started) / 1000;
  const progress = createProgress(io, {
    status: () => {
      const s = seconds();
      const rate = s > 0 ? Math.round(oracle.queries / s) : 0;
      return `[${s.toFixed(1)}s  ${oracle.queries} queries  ${rate}/s]`;
    },
  });
  progress.update(`recovering from ${describeSource(config.source)} (${oracle.inputDim} inputs, ${oracle.outputDim} outputs)`);

  const { recoverNetwork } = await import('@relurec/recovery');
  let result: RecoveryResult | undefined;
  let stoppedBy: unknown;
  try {
    result = await recoverNetwork(query, { inputDim: oracle.inputDim, outputDim: oracle.outputDim }, {
      seed: config.seed,
      domainScale: config.domainScale,
      log: (message) => progress.update(message),
    });
  } catch (error) {
    // A spent budget or a failing black box ends the run as incomplete; anything else is a fault.
    if (!(refusal !== undefined || error instanceof OracleError)) throw error;
    stoppedBy = error;
  } finally {
    progress.done();
    await oracle.close();
  }

  const budget = config.budget === undefined ? null : { limit: config.budget, used: oracle.queries, exhausted: refusal !== undefined };
  const settings = {
    seed: config.seed,
    budget: config.budget ?? null,
    domainScale: config.domainScale,
    workers: config.workers ?? 1,
    source: describeSource(config.source),
  };
  if (result === undefined) {
    const why = refusal !== undefined
      ? `the query budget of ${refusal.budget} was spent before any layer was recovered`
      : 'the black box failed before any layer was recovered';
    return {
      status: RecoveryStatus.incomplete,
      complete: false,
      queries: oracle.queries,
      seconds: seconds(),
      architecture: null,
      layers: [],
      warnings: [],
      missing: [`everything: ${why}; no network was written`],
      out: null,
      budget,
      stoppedBy: (stoppedBy as Error).message,
    };
  }
  const status = result.complete ? RecoveryStatus.complete : RecoveryStatus.incomplete;
  const warnings = [...result.warnings];
  const missing = [...result.missing];
  if (refusal !== undefined && !result.complete && !warnings.some((w) => w.includes('budget'))) {
    // refusal.budget: the budget may be the remote oracle's own rather than --budget.
    warnings.push(`the query budget of ${refusal.budget} stopped the run: ${refusal.message}`);
  }
  const meta = {
    ...result.network.meta,
    recoveredBy: 'relurec recover',
    queries: oracle.queries,
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
    queries: oracle.queries,
    seconds: meta.seconds,
    architecture: [...result.architecture],
    layers: result.layers,
    warnings,
    missing,
    out: config.out,
    budget,
    stoppedBy: null,
  };
}

/** The human summary (or, with json, the report as JSON) on stdout. */
export function printRecoverReport(report: RecoverReport, config: RecoverConfig, io: CliIo): void {
  if (config.json) {
    io.stdout(`${toJson(report)}\n`);
    return;
  }
  const lines: string[] = [];
  const arch = report.architecture === null ? 'nothing' : formatArchitecture(report.architecture);
  lines.push(`recovered ${arch} from ${describeSource(config.source)}: ${report.status.toUpperCase()}`);
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
      y
        .option('target', { type: 'string', describe: 'Black box: a relu-net file (evaluated locally; its weights are never read by the recovery)' })
        .option('oracle', { type: 'string', describe: 'Black box: base URL of an HTTP oracle (GET /info, POST /query)' })
        .option('onnx', { type: 'string', describe: 'Black box: an ONNX model of a ReLU MLP (onnxruntime, CPU)' })
        .option('out', { type: 'string', demandOption: true, describe: 'relu-net file for the recovered network (written even when incomplete)' })
        .option('seed', { type: 'number', default: 1, describe: 'Run seed' })
        .option('budget', { type: 'number', describe: 'Most queries (input rows) ever sent; the run stops, writes what it has and exits 1 when it is spent' })
        .option('domain-scale', { type: 'number', default: 1, alias: 'domain', describe: 'Inputs of interest ~ N(0, S^2 I)' })
        .option('workers', { type: 'number', describe: 'Worker count (recorded; embedded runs use one process in this version)' })
        .option('oracle-header', { type: 'string', describe: "HTTP header for --oracle, 'Name: value' (repeatable), e.g. 'Authorization: Bearer KEY'" })
        .option('nats', { type: 'string', describe: 'NATS URL of a cluster (needs the cluster: not in this version)' })
        .option('resume', { type: 'string', describe: 'Run id to resume (needs the cluster: not in this version)' })
        .option('json', { type: 'boolean', default: false, describe: 'Print a machine-readable report instead of the summary' })
        .example('$0 recover --target net.json --out rec.json', '')
        .example("$0 recover --oracle http://127.0.0.1:8080 --oracle-header 'Authorization: Bearer KEY' --budget 100000 --out rec.json", '')
        .epilog('Exit codes: 0 complete, 1 incomplete (the file is still written when anything was recovered), 2 bad input or usage.'),
    handler: ctx.run((argv) => runRecover(recoverConfig(argv), ctx.io)),
  };
}
