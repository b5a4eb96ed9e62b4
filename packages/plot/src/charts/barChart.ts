import { linearScale } from '../scale/linearScale.js';
import { niceDomain } from '../scale/niceDomain.js';
import { ScaleKind } from '../scale/Scale.js';
import { drawAxis, AxisOrientation } from '../svg/drawAxis.js';
import { drawLegend, legendWidth, LegendMarker } from '../svg/drawLegend.js';
import { element, text } from '../svg/element.js';
import { formatNumber } from '../svg/formatNumber.js';
import { colorOf } from '../svg/palette.js';
import { svgDocument } from '../svg/svgDocument.js';

/** One case of a bar chart. */
export interface Bar {
  /** Row label, e.g. a cell id. */
  readonly label: string;
  /** Bar length in data units; null for a case with no value (drawn as '-', no bar). */
  readonly value: number | null;
  /** Colour group listed in the legend (e.g. the init). Default: one group, no legend. */
  readonly group?: string;
  /** Text at the end of the bar. Default the value with 1 decimal. */
  readonly text?: string;
}

/** A vertical line across every bar, e.g. the 36-bit target. */
export interface Rule {
  readonly value: number;
  readonly label: string;
}

export interface BarChartOptions {
  readonly title: string;
  /** Title of the value axis, e.g. 'bits of precision (-log2 max weight error)'. */
  readonly valueLabel: string;
  readonly bars: readonly Bar[];
  readonly rule?: Rule;
  /** Value axis [low, high]. Default from 0 to round numbers past the largest value and the rule. */
  readonly domain?: readonly [number, number];
  /** Pixels. Default 720. */
  readonly width?: number;
  /** Height of one row in pixels. Default 18. */
  readonly rowHeight?: number;
}

/**
 * A horizontal bar chart, one row per case (label on the left, value axis at the bottom), coloured by
 * group, with an optional rule line. Bars are `<rect class="bar" data-label=... data-group=...>`;
 * the rule is `<g class="rule" data-label=...>`. Values past the domain are drawn to its edge.
 * @returns the SVG file's text
 * @throws RangeError naming the bar (`options.bars[i].value`) whose value is neither finite nor null, or naming the option
 */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 720, row = options.rowHeight ?? 18;
  if (!(Number.isFinite(width) && width > 0)) throw new RangeError(`options.width must be a positive number of pixels, got ${width}`);
  if (!(Number.isFinite(row) && row >= 8)) throw new RangeError(`options.rowHeight must be a number of pixels >= 8, got ${row}`);
  if (!Array.isArray(options.bars)) throw new TypeError('options.bars must be an array of { label, value }');
  options.bars.forEach((b, i) => {
    if (typeof b?.label !== 'string') throw new TypeError(`options.bars[${i}].label must be a string`);
    if (b.value !== null && !(typeof b.value === 'number' && Number.isFinite(b.value))) {
      throw new RangeError(`options.bars[${i}].value must be a finite number or null, got ${String(b.value)}`);
    }
  });
  if (options.rule !== undefined && !Number.isFinite(options.rule.value)) throw new RangeError(`options.rule.value must be a finite number, got ${options.rule.value}`);

  const groups = [...new Set(options.bars.map((b) => b.group ?? ''))];
  const legend = groups.length > 1 || groups[0] !== '' ? groups.map((g, i) => ({ label: g === '' ? '(none)' : g, color: colorOf(i), marker: LegendMarker.square })) : [];
  const labelW = Math.min(320, 12 + 7 * Math.max(4, ...options.bars.map((b) => b.label.length)));
  const legendW = legend.length === 0 ? 0 : legendWidth(legend) + 16;
  // valueRoom: the value text after a full-length bar, e.g. 'exact (partial)'.
  const valueRoom = 100;
  const left = labelW, top = 48, bottom = 56, right = valueRoom + legendW;
  const plotW = width - left - right;
  if (plotW < 60) throw new RangeError(`options.width (${width} px) leaves no room for the bars after the labels`);
  const plotH = Math.max(row, row * options.bars.length);
  const height = top + plotH + bottom;

  const values = options.bars.flatMap((b) => (b.value === null ? [] : [b.value]));
  if (options.rule !== undefined) values.push(options.rule.value);
  const domain = options.domain ?? niceDomain(values, ScaleKind.linear, { includeZero: true });
  const x = linearScale(domain, [left, left + plotW]);
  const clampPx = (v: number) => Math.max(left, Math.min(left + plotW, x.map(v)));
  const base = clampPx(Math.max(domain[0], Math.min(domain[1], 0)));

  const parts: string[] = [
    text(12, 24, options.title, { 'font-size': 14, 'font-weight': 'bold', class: 'title' }),
    drawAxis(x, { orientation: AxisOrientation.bottom, position: top + plotH, label: options.valueLabel, gridLength: plotH }),
  ];
  options.bars.forEach((b, i) => {
    const y = top + i * row;
    const color = colorOf(groups.indexOf(b.group ?? ''));
    parts.push(text(left - 6, y + row / 2 + 4, b.label, { 'text-anchor': 'end', class: 'bar-label' }));
    if (b.value === null) {
      parts.push(text(base + 4, y + row / 2 + 4, b.text ?? '-', { fill: '#777', class: 'bar-value' }));
      return;
    }
    const end = clampPx(b.value);
    parts.push(
      element('rect', {
        class: 'bar',
        'data-label': b.label,
        'data-group': b.group,
        x: Math.min(base, end),
        y: y + 2,
        width: Math.abs(end - base),
        height: row - 4,
        fill: color,
      }),
    );
    parts.push(text(Math.max(base, end) + 4, y + row / 2 + 4, b.text ?? formatNumber(b.value, 1), { class: 'bar-value', 'font-size': 10 }));
  });
  if (options.rule !== undefined) {
    const px = x.map(options.rule.value);
    parts.push(
      element('g', { class: 'rule', 'data-label': options.rule.label }, [
        element('line', { x1: px, y1: top - 6, x2: px, y2: top + plotH, stroke: '#c00', 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }),
        text(px, top - 10, options.rule.label, { 'text-anchor': 'middle', fill: '#c00' }),
      ]),
    );
  }
  if (options.bars.length === 0) parts.push(text(left + plotW / 2, top + row / 2 + 4, 'no data', { 'text-anchor': 'middle', fill: '#999', class: 'no-data' }));
  if (legend.length > 0) parts.push(drawLegend(legend, { x: left + plotW + valueRoom, y: top }));
  return svgDocument({ width, height, title: options.title }, parts);
}
