import type { XyChartOptions } from './ChartTypes.js';
import { xyChart, type Guide } from './internal/xyChart.js';

/** A reference line y = coefficient * x^exponent (a straight line on log-log axes), e.g. y = 30x. */
export interface ReferenceLine {
  /** Legend text, e.g. 'y = 30x'. */
  readonly label: string;
  /** Positive for a log y axis. */
  readonly coefficient: number;
  /** Default 1. */
  readonly exponent?: number;
}

export interface ScatterChartOptions extends XyChartOptions {
  /** Grey dashed guides, e.g. queries = 30 x parameters. Default none. */
  readonly referenceLines?: readonly ReferenceLine[];
}

/**
 * A scatter plot: one colour per series (legend on the right), optional reference lines. Use
 * `scale: 'log'` on both axes for queries against parameters. Each series is a
 * `<g class="series" data-series="name">` of circles with a tooltip; each reference line a
 * `<g class="guide" data-label="...">`.
 * @returns the SVG file's text
 * @throws RangeError naming the point (`options.series[i].points[j].y`) that is not finite or not positive on a log axis, or naming the option
 */
export function scatterChart(options: ScatterChartOptions): string {
  const guides: Guide[] = (options.referenceLines ?? []).map((r, i) => {
    if (typeof r?.label !== 'string') throw new TypeError(`options.referenceLines[${i}].label must be a string`);
    if (!Number.isFinite(r.coefficient)) throw new RangeError(`options.referenceLines[${i}].coefficient must be a finite number, got ${r.coefficient}`);
    const exponent = r.exponent ?? 1;
    if (!Number.isFinite(exponent)) throw new RangeError(`options.referenceLines[${i}].exponent must be a finite number, got ${exponent}`);
    return { label: r.label, coefficient: r.coefficient, exponent };
  });
  return xyChart(options, 'points', guides);
}
