import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareNetworks, type NetworkComparison } from '@relurec/judge';
import { architecture, formatArchitecture, parameterCount, saveNetwork, type ReluNetwork } from '@relurec/network';
import { expandCells, type CellDefaults } from '../cells/expandCells.js';
import type { ExperimentCell } from '../cells/ExperimentCell.js';
import { ExperimentCellError } from '../errors/ExperimentCellError.js';
import { appendResult, dropPartialLine, readResultsFile, RESULTS_FILE } from '../io/resultsFile.js';
import type { CellResult } from '../results/CellResult.js';
import type { ExperimentSpec } from '../spec/ExperimentSpec.js';
import { makeTarget } from './makeTarget.js';

/** What a recovery of one cell reports. */
export interface RecoverOutcome {
  /** The recovered network (complete or not); null when nothing was recovered (e.g. the budget ran out first). */
  readonly network: ReluNetwork | null;
  /** The recovery's own verdict. */
  readonly complete: boolean;
  /** Queries (rows) paid for. */
  readonly queries: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  readonly warnings: readonly string[];
}

/**
 * Recovers one cell's target through a black box made from it. Injected: the CLI passes the
 * embedded recovery; tests may pass anything that keeps the contract. It must treat `target` as a
 * black box (build an oracle from it); the judge, not the recovery, compares with the truth.
 */
export type RecoverCell = (target: ReluNetwork, cell: ExperimentCell) => Promise<RecoverOutcome>;

export interface RunExperimentOptions {
  readonly spec: ExperimentSpec;
  /** Folder of results.jsonl (created when missing). */
  readonly outDir: string;
  readonly recover: RecoverCell;
  /** One line per cell and a note on resume. Default none. */
  readonly log?: (message: string) => void;
  /** Checked between cells: when aborted, the run stops before the next cell (resumable). Default none. */
  readonly signal?: AbortSignal;
  /** Write networks/<cell id>/target.json and recovered.json. Default true. */
  readonly saveNetworks?: boolean;
  /** Defaults of settings (workers recorded when a setting names none). */
  readonly defaults?: CellDefaults;
}

export interface ExperimentRunSummary {
  /** Cells in the spec. */
  readonly cells: number;
  /** Cells found finished in results.jsonl and skipped. */
  readonly skipped: number;
  /** Cells run now. */
  readonly ran: number;
  /** The signal stopped the run before every cell was finished. */
  readonly stopped: boolean;
  /** Results of the spec's finished cells, in cell order. */
  readonly results: CellResult[];
  readonly resultsFile: string;
}

/**
 * Runs every cell of the spec that results.jsonl does not already hold: makes the target
 * (makeTarget), recovers it with `recover`, judges the result (compareNetworks, fidelity on
 * N(0, domainScale^2 I)) and appends one line per cell as soon as it is finished. A rerun with the
 * same folder skips finished cells (a partially written last line is dropped and its cell rerun), so
 * an interrupted run resumes where it stopped and no cell is written twice.
 * @throws ExperimentSpecError for an invalid spec, ResultsFileError for a corrupt results.jsonl,
 *   ExperimentCellError (cause: the original error) when a cell's target, recovery or judging fails:
 *   the run stops there and earlier cells stay written
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentRunSummary> {
  const { spec, outDir, recover } = options;
  if (typeof recover !== 'function') throw new TypeError('options.recover must be a function (target, cell) => Promise<RecoverOutcome>');
  if (typeof outDir !== 'string' || outDir === '') throw new TypeError('options.outDir must be a folder path');
  const log = options.log ?? (() => {});
  const cells = expandCells(spec, options.defaults);
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, RESULTS_FILE);
  const content = await readResultsFile(file);
  if (content.partial) {
    log(`${file}: ignoring a partially written last line; its cell runs again`);
    await dropPartialLine(file, content);
  }
  const done = new Map(content.results.map((r) => [r.id, r]));
  const skipped = cells.filter((c) => done.has(c.id)).length;
  if (skipped > 0) log(`resuming: ${skipped} of ${cells.length} cells already finished`);

  let ran = 0, stopped = false;
  for (const [k, cell] of cells.entries()) {
    if (done.has(cell.id)) continue;
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const result = await runCell(cell, spec, outDir, recover, options.saveNetworks ?? true);
    await appendResult(file, result);
    done.set(cell.id, result);
    ran++;
    log(`[${k + 1}/${cells.length}] ${describe(result)}`);
  }
  const results = cells.flatMap((c) => (done.has(c.id) ? [done.get(c.id) as CellResult] : []));
  return { cells: cells.length, skipped, ran, stopped, results, resultsFile: file };
}

async function runCell(cell: ExperimentCell, spec: ExperimentSpec, outDir: string, recover: RecoverCell, save: boolean): Promise<CellResult> {
  const step = async <T>(what: string, body: () => T | Promise<T>): Promise<T> => {
    try {
      return await body();
    } catch (cause) {
      throw new ExperimentCellError(`${what} failed: ${(cause as Error)?.message ?? String(cause)}`, cell.id, { cause });
    }
  };
  const target = await step('making the target', () => makeTarget(cell, spec.training));
  const outcome = await step('recovery', () => recover(target, cell));
  await step('recovery', () => checkOutcome(outcome));
  const comparison: NetworkComparison | null =
    outcome.network === null
      ? null
      : await step('judging', () =>
          compareNetworks(target, outcome.network as ReluNetwork, { fidelitySamples: spec.fidelitySamples, domainScale: cell.setting.domainScale }),
        );
  if (save) {
    await step('saving networks', async () => {
      const dir = join(outDir, 'networks', ...cell.id.split('/'));
      await mkdir(dir, { recursive: true });
      await saveNetwork(join(dir, 'target.json'), target);
      if (outcome.network !== null) await saveNetwork(join(dir, 'recovered.json'), outcome.network);
    });
  }
  const params = parameterCount(target);
  return {
    id: cell.id,
    arch: cell.arch,
    init: cell.init,
    seed: cell.seed,
    setting: cell.setting.name,
    params,
    queries: outcome.queries,
    queriesPerParam: outcome.queries / params,
    seconds: outcome.seconds,
    bits: comparison === null ? NaN : comparison.bits,
    fidelity: comparison?.fidelity?.maxAbsError ?? null,
    fidelityRelative: comparison?.fidelity?.relativeError ?? null,
    architectureMatch: comparison?.architectureMatch ?? false,
    complete: outcome.complete,
    allMatched: comparison?.complete ?? false,
    workers: cell.setting.workers,
    budget: cell.setting.budget,
    domainScale: cell.setting.domainScale,
    recoverySeed: cell.setting.recoverySeed,
    recoveredArch: outcome.network === null ? null : formatArchitecture(architecture(outcome.network)),
    warnings: [...outcome.warnings],
  };
}

function checkOutcome(o: RecoverOutcome): void {
  if (o === null || typeof o !== 'object') throw new TypeError('recover must resolve to { network, complete, queries, seconds, warnings }');
  if (o.network !== null && !(typeof o.network === 'object' && Array.isArray(o.network.layers) && o.network.layers.length > 0)) {
    throw new TypeError('recover(...).network must be a ReluNetwork or null');
  }
  if (typeof o.complete !== 'boolean') throw new TypeError(`recover(...).complete must be a boolean, got ${String(o.complete)}`);
  if (!(Number.isFinite(o.queries) && o.queries >= 0)) throw new RangeError(`recover(...).queries must be a non-negative number, got ${o.queries}`);
  if (!(Number.isFinite(o.seconds) && o.seconds >= 0)) throw new RangeError(`recover(...).seconds must be a non-negative number, got ${o.seconds}`);
  if (!Array.isArray(o.warnings)) throw new TypeError('recover(...).warnings must be an array of strings');
}

function describe(r: CellResult): string {
  const bits = Number.isNaN(r.bits) ? '-' : r.bits === Infinity ? 'exact' : r.bits.toFixed(1);
  return `${r.id}: ${r.complete ? 'complete' : 'INCOMPLETE'}, ${r.queries} queries (${r.queriesPerParam.toFixed(1)}/param), ${r.seconds.toFixed(2)} s, ${bits} bits`;
}
