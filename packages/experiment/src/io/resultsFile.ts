import { appendFile, readFile, truncate } from 'node:fs/promises';
import { ResultsFileError } from '../errors/ResultsFileError.js';
import type { CellResult } from '../results/CellResult.js';
import { decodeResultLine, encodeResultLine } from '../results/resultLine.js';

/** File name of the results inside an experiment folder. */
export const RESULTS_FILE = 'results.jsonl';

/** What a results file holds. */
export interface ResultsContent {
  /** Finished cells in file order (a repeated id keeps its first line). */
  readonly results: CellResult[];
  /** Bytes up to and including the last newline: everything after is a partially written line. */
  readonly completeBytes: number;
  /** A partially written last line was found (and is to be ignored). */
  readonly partial: boolean;
}

/**
 * Reads results.jsonl. A missing file is empty. Text after the last newline is a line whose write
 * was cut off (each line is appended with its newline in one write): it is ignored and reported as
 * `partial`, so its cell runs again.
 * @throws ResultsFileError naming the file and line when a complete line is not a result
 */
export async function readResultsFile(file: string): Promise<ResultsContent> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { results: [], completeBytes: 0, partial: false };
    throw new ResultsFileError(`cannot read (${(cause as Error).message})`, file, 0, { cause });
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const results: CellResult[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const decoded = decodeResultLine(line);
    if ('error' in decoded) throw new ResultsFileError(decoded.error, file, i + 1);
    if (seen.has(decoded.result.id)) return;
    seen.add(decoded.result.id);
    results.push(decoded.result);
  });
  return { results, completeBytes: Buffer.byteLength(text.slice(0, end)), partial: end < text.length };
}

/** Cuts a partially written last line off (see readResultsFile). */
export async function dropPartialLine(file: string, content: ResultsContent): Promise<void> {
  if (content.partial) await truncate(file, content.completeBytes);
}

/** Appends one result as one line, newline included, in a single write. */
export async function appendResult(file: string, result: CellResult): Promise<void> {
  await appendFile(file, `${encodeResultLine(result)}\n`);
}
