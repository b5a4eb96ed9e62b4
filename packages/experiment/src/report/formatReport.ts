import { DISPLAY_BITS_CAP } from '@relurec/judge';
import type { CellResult } from '../results/CellResult.js';
import { ReportFiles } from './reportFiles.js';

/** Bits the precision target asks for (ALGORITHM.md section 6). */
export const TARGET_BITS = 36;

/**
 * report.md: a summary (cells, complete, all matched, all matched at >= 36 bits, median queries per parameter),
 * the three charts, and a table with one row per cell in the given order. Ends with a newline.
 */
export function formatReport(results: readonly CellResult[]): string {
  const n = results.length;
  const complete = results.filter((r) => r.complete).length;
  const matched = results.filter((r) => r.allMatched).length;
  const precise = results.filter((r) => r.allMatched && r.bits >= TARGET_BITS).length;
  const qpp = results.map((r) => r.queriesPerParam).sort((a, b) => a - b);
  const median = n === 0 ? NaN : n % 2 === 1 ? qpp[(n - 1) / 2] : (qpp[n / 2 - 1] + qpp[n / 2]) / 2;
  const lines = [
    '# Experiment report',
    '',
    n === 0
      ? 'No finished cells yet.'
      : `${n} cells: ${complete} complete (the recovery's verdict), ${matched} with every neuron matched by the judge, ` +
        `${precise} of those at >= ${TARGET_BITS} bits. Median queries per parameter: ${median.toFixed(1)}.`,
    '',
    `![queries against parameters](${ReportFiles.queries})`,
    '',
    `![bits of precision per cell](${ReportFiles.bits})`,
    '',
    `![seconds against workers](${ReportFiles.seconds})`,
    '',
    '| cell | arch | init | seed | setting | params | queries | queries/param | seconds | bits | fidelity max\\|f-f^\\| | arch match | complete | all matched | workers |',
    '|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|',
    ...results.map((r) =>
      `| ${[
        r.id,
        r.arch,
        r.init,
        String(r.seed),
        r.setting,
        String(r.params),
        String(r.queries),
        r.queriesPerParam.toFixed(1),
        r.seconds.toFixed(2),
        formatBits(r.bits),
        r.fidelity === null ? '-' : r.fidelity === 0 ? '0' : r.fidelity.toExponential(2),
        yesNo(r.architectureMatch),
        yesNo(r.complete),
        yesNo(r.allMatched),
        String(r.workers),
      ]
        .map(escapeCell)
        .join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Bits as the judge's display writes them: 'exact', '>=60', '-' for nothing compared, else one decimal. */
export function formatBits(bits: number): string {
  if (Number.isNaN(bits)) return '-';
  if (bits === Infinity) return 'exact';
  if (bits >= DISPLAY_BITS_CAP) return `>=${DISPLAY_BITS_CAP}`;
  return bits.toFixed(1);
}

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
