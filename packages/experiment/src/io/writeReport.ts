import { access, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResultsFileError } from '../errors/ResultsFileError.js';
import { formatReport } from '../report/formatReport.js';
import { reportCharts } from '../report/reportCharts.js';
import { ReportFiles } from '../report/reportFiles.js';
import { readResultsFile, RESULTS_FILE } from './resultsFile.js';

export interface WrittenReport {
  /** Paths written: report.md and the three SVGs. */
  readonly files: string[];
  /** Cells in the report. */
  readonly cells: number;
}

/**
 * Writes report.md, queries-vs-params.svg, bits.svg and seconds-vs-workers.svg into an experiment
 * folder from its results.jsonl (every finished cell, in file order; a partially written last line
 * is left out). Each file is written to a temporary name and renamed, so a reader never sees half a
 * report.
 * @throws ResultsFileError when the folder has no results.jsonl or a line in it is not a result
 */
export async function writeReport(outDir: string): Promise<WrittenReport> {
  const file = join(outDir, RESULTS_FILE);
  try {
    await access(file);
  } catch (cause) {
    throw new ResultsFileError(`no ${RESULTS_FILE} here: run the experiment first`, file, 0, { cause });
  }
  const { results } = await readResultsFile(file);
  const charts = reportCharts(results);
  const outputs: [string, string][] = [
    [ReportFiles.markdown, formatReport(results)],
    [ReportFiles.queries, charts.queriesVsParams],
    [ReportFiles.bits, charts.bits],
    [ReportFiles.seconds, charts.secondsVsWorkers],
  ];
  const files: string[] = [];
  for (const [name, text] of outputs) {
    const path = join(outDir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, path);
    files.push(path);
  }
  return { files, cells: results.length };
}
