import type { XyChartOptions } from './ChartTypes.js';
import { xyChart } from './internal/xyChart.js';

export type LineChartOptions = XyChartOptions;

/**
 * A line chart: each series' points sorted by x and joined, with a marker on every point (e.g.
 * seconds against worker count, one series per architecture). Each series is a
 * `<g class="series" data-series="name">`.
 * @returns the SVG file's text
 * @throws RangeError naming the point or option that is out of range
 */
export function lineChart(options: LineChartOptions): string {
  return xyChart(options, 'lines');
}
