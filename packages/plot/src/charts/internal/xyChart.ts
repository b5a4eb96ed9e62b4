import { linearScale } from '../../scale/linearScale.js';
import { logScale } from '../../scale/logScale.js';
import { niceDomain } from '../../scale/niceDomain.js';
import { ScaleKind, type Scale } from '../../scale/Scale.js';
import { drawAxis, AxisOrientation } from '../../svg/drawAxis.js';
import { drawLegend, legendWidth, LegendMarker, type LegendEntry } from '../../svg/drawLegend.js';
import { element, text } from '../../svg/element.js';
import { escapeXml } from '../../svg/escapeXml.js';
import { formatNumber } from '../../svg/formatNumber.js';
import { colorOf } from '../../svg/palette.js';
import { svgDocument } from '../../svg/svgDocument.js';
import type { ChartAxis, Point, XyChartOptions } from '../ChartTypes.js';

/** y = coefficient * x^exponent, drawn across the plot in grey. */
export interface Guide {
  readonly label: string;
  readonly coefficient: number;
  readonly exponent: number;
}

/** Draws points, or lines through points sorted by x (with markers), plus guides. */
export function xyChart(options: XyChartOptions, mode: 'points' | 'lines', guides: readonly Guide[] = []): string {
  const width = options.width ?? 640, height = options.height ?? 420;
  checkPixels(width, 'options.width');
  checkPixels(height, 'options.height');
  if (typeof options.title !== 'string') throw new TypeError('options.title must be a string');
  if (!Array.isArray(options.series)) throw new TypeError('options.series must be an array of { name, points }');
  options.series.forEach((s, i) => {
    if (typeof s?.name !== 'string') throw new TypeError(`options.series[${i}].name must be a string`);
    if (!Array.isArray(s.points)) throw new TypeError(`options.series[${i}].points must be an array of { x, y }`);
    s.points.forEach((p: Point, j: number) => {
      checkValue(p?.x, options.x, `options.series[${i}].points[${j}].x`);
      checkValue(p?.y, options.y, `options.series[${i}].points[${j}].y`);
    });
  });

  const entries: LegendEntry[] = options.series.map((s, i) => ({
    label: s.name,
    color: colorOf(i),
    marker: mode === 'points' ? LegendMarker.circle : LegendMarker.line,
  }));
  for (const g of guides) entries.push({ label: g.label, color: '#999', dash: '4 3' });
  const legendW = entries.length === 0 ? 0 : legendWidth(entries) + 16;
  const left = 72, top = 40, right = 16 + legendW, bottom = 56;
  const plotW = width - left - right, plotH = height - top - bottom;
  if (plotW < 40 || plotH < 40) throw new RangeError(`options.width and options.height leave no room for the plot (${width} x ${height} px)`);

  const all = options.series.flatMap((s) => s.points);
  const xs = scaleOf(options.x, all.map((p) => p.x), [left, left + plotW], 'options.x');
  const ys = scaleOf(options.y, all.map((p) => p.y), [top + plotH, top], 'options.y');

  const parts: string[] = [
    element('defs', {}, [
      element('clipPath', { id: 'plot-area' }, element('rect', { x: left, y: top, width: plotW, height: plotH })),
      // Markers on the edge of the domain (a nice domain often ends at a data value) stay whole.
      element('clipPath', { id: 'marker-area' }, element('rect', { x: left - 6, y: top - 6, width: plotW + 12, height: plotH + 12 })),
    ]),
    text(left, 24, options.title, { 'font-size': 14, 'font-weight': 'bold', class: 'title' }),
    drawAxis(xs, { orientation: AxisOrientation.bottom, position: top + plotH, label: options.x.label, gridLength: plotH }),
    drawAxis(ys, { orientation: AxisOrientation.left, position: left, label: options.y.label, gridLength: plotW }),
  ];
  for (const g of guides) parts.push(drawGuide(g, xs, ys));
  options.series.forEach((s, i) => {
    const color = colorOf(i);
    const pts = mode === 'lines' ? [...s.points].sort((a, b) => a.x - b.x) : s.points;
    const body: string[] = [];
    if (mode === 'lines' && pts.length > 1) {
      const d = pts.map((p: Point, k: number) => `${k === 0 ? 'M' : 'L'}${formatNumber(xs.map(p.x))} ${formatNumber(ys.map(p.y))}`).join(' ');
      body.push(element('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }));
    }
    for (const p of pts) {
      body.push(
        element('circle', { cx: xs.map(p.x), cy: ys.map(p.y), r: mode === 'points' ? 4 : 3, fill: color, 'fill-opacity': mode === 'points' ? 0.8 : 1 }, [
          element('title', {}, `${escapeXml(s.name)}: (${formatNumber(p.x, 6)}, ${formatNumber(p.y, 6)})`),
        ]),
      );
    }
    parts.push(element('g', { class: 'series', 'data-series': s.name, 'clip-path': 'url(#marker-area)' }, body));
  });
  if (all.length === 0) parts.push(text(left + plotW / 2, top + plotH / 2, 'no data', { 'text-anchor': 'middle', fill: '#999', class: 'no-data' }));
  parts.push(element('rect', { class: 'plot-frame', x: left, y: top, width: plotW, height: plotH, fill: 'none', stroke: '#333' }));
  if (entries.length > 0) parts.push(drawLegend(entries, { x: left + plotW + 16, y: top }));
  return svgDocument({ width, height, title: options.title }, parts);
}

function drawGuide(g: Guide, xs: Scale, ys: Scale): string {
  const [x0, x1] = xs.domain;
  const samples = 64;
  const pts: string[] = [];
  for (let k = 0; k <= samples; k++) {
    const t = k / samples;
    const x = xs.kind === ScaleKind.log ? x0 * (x1 / x0) ** t : x0 + (x1 - x0) * t;
    const y = g.coefficient * x ** g.exponent;
    if (!Number.isFinite(y) || (ys.kind === ScaleKind.log && y <= 0)) continue;
    // Far outside the plot the pixel values only cost bytes; the clip path hides them anyway.
    const py = Math.max(-1e5, Math.min(1e5, ys.map(y)));
    pts.push(`${pts.length === 0 ? 'M' : 'L'}${formatNumber(xs.map(x))} ${formatNumber(py)}`);
  }
  return element('g', { class: 'guide', 'data-label': g.label, 'clip-path': 'url(#plot-area)' }, [
    element('path', { d: pts.join(' '), fill: 'none', stroke: '#999', 'stroke-width': 1, 'stroke-dasharray': '4 3' }),
  ]);
}

function scaleOf(axis: ChartAxis, values: number[], range: [number, number], what: string): Scale {
  const kind = axis.scale ?? ScaleKind.linear;
  if (kind !== ScaleKind.linear && kind !== ScaleKind.log) throw new RangeError(`${what}.scale must be 'linear' or 'log', got '${String(kind)}'`);
  const domain = axis.domain ?? niceDomain(values, kind, { includeZero: axis.includeZero });
  try {
    return kind === ScaleKind.log ? logScale(domain, range) : linearScale(domain, range);
  } catch (cause) {
    throw new RangeError(`${what}.${(cause as Error).message}`, { cause });
  }
}

function checkValue(v: unknown, axis: ChartAxis, what: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${what} must be a finite number, got ${String(v)}`);
  if (axis.scale === ScaleKind.log && v <= 0) throw new RangeError(`${what} is ${v}, which a log axis cannot show (values must be > 0)`);
}

function checkPixels(v: number, what: string): void {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${what} must be a positive number of pixels, got ${v}`);
}
