import { DISPLAY_BITS_CAP } from '@relurec/judge';
import { barChart, lineChart, scatterChart, type Bar, type Series } from '@relurec/plot';
import type { CellResult } from '../results/CellResult.js';
import { formatBits, TARGET_BITS } from './formatReport.js';

/** The SVG texts of an experiment report. */
export interface ReportCharts {
  /** Queries against parameters, log-log, one series per init (or setting), with y = 10x and y = 100x. */
  readonly queriesVsParams: string;
  /** Bits of precision per cell, coloured by init, with the 36-bit line. */
  readonly bits: string;
  /** Mean seconds against worker count, one series per architecture. */
  readonly secondsVsWorkers: string;
}

/**
 * The report's charts from the results. Series of the scatter: one per init when there is one
 * setting, one per setting when there is one init, else one per 'init/setting'. Bits past
 * DISPLAY_BITS_CAP (an exact match included) are drawn at the cap; cells with nothing matched get no bar,
 * and cells the judge did not match completely are labelled '(partial)'.
 */
export function reportCharts(results: readonly CellResult[]): ReportCharts {
  const inits = distinct(results.map((r) => r.init));
  const settings = distinct(results.map((r) => r.setting));
  const key = (r: CellResult) => (settings.length <= 1 ? r.init : inits.length <= 1 ? r.setting : `${r.init}/${r.setting}`);
  const queriesVsParams = scatterChart({
    title: 'Queries against parameters',
    x: { label: 'parameters of the target', scale: 'log' },
    y: { label: 'queries', scale: 'log' },
    series: groupBy(results, key).map(([name, rs]) => ({ name, points: rs.filter((r) => r.queries > 0).map((r) => ({ x: r.params, y: r.queries })) })),
    referenceLines: [
      { label: 'y = 10x', coefficient: 10 },
      { label: 'y = 100x', coefficient: 100 },
    ],
  });

  const bars: Bar[] = results.map((r) => ({
    label: r.id,
    group: r.init,
    value: Number.isNaN(r.bits) ? null : Math.max(0, Math.min(DISPLAY_BITS_CAP, r.bits)),
    // Bits are over matched neurons only: say so when the judge did not match them all.
    text: `${formatBits(r.bits)}${r.allMatched ? '' : ' (partial)'}`,
  }));
  const bits = barChart({
    title: 'Bits of precision per cell (-log2 max aligned weight error)',
    valueLabel: 'bits',
    bars,
    rule: { value: TARGET_BITS, label: `${TARGET_BITS} bits` },
    domain: [0, DISPLAY_BITS_CAP],
  });

  const series: Series[] = groupBy(results, (r) => r.arch).map(([arch, rs]) => ({
    name: arch,
    points: groupBy(rs, (r) => String(r.workers))
      .map(([w, cell]) => ({ x: Number(w), y: cell.reduce((s, r) => s + r.seconds, 0) / cell.length }))
      .sort((a, b) => a.x - b.x),
  }));
  const secondsVsWorkers = lineChart({
    title: 'Seconds against workers (mean per architecture and worker count)',
    x: { label: 'workers', includeZero: false },
    y: { label: 'seconds per recovery', includeZero: true },
    series,
  });
  return { queriesVsParams, bits, secondsVsWorkers };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Groups in order of first appearance. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [item]);
    else g.push(item);
  }
  return [...groups.entries()];
}
