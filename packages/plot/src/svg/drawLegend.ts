import { element, text } from './element.js';

/** How an entry's swatch is drawn. */
export const LegendMarker = {
  line: 'line',
  circle: 'circle',
  square: 'square',
} as const;
export type LegendMarker = (typeof LegendMarker)[keyof typeof LegendMarker];

export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  /** Default 'line'. */
  readonly marker?: LegendMarker;
  /** stroke-dasharray of a line swatch, e.g. '6 4'. Default solid. */
  readonly dash?: string;
}

export interface LegendOptions {
  /** Pixel position of the top-left corner. */
  x: number;
  y: number;
  /** Row height in pixels. Default 18. */
  rowHeight?: number;
  /** Heading above the entries. Default none. */
  title?: string;
}

/** A vertical legend: <g class="legend"> holding one <g class="legend-entry" data-label="..."> per entry (swatch and escaped label). */
export function drawLegend(entries: readonly LegendEntry[], options: LegendOptions): string {
  const row = options.rowHeight ?? 18;
  const parts: string[] = [];
  let y = options.y;
  if (options.title !== undefined) {
    parts.push(text(options.x, y + 12, options.title, { 'font-weight': 'bold', class: 'legend-title' }));
    y += row;
  }
  for (const entry of entries) {
    const cy = y + row / 2;
    const marker = entry.marker ?? LegendMarker.line;
    const swatch =
      marker === LegendMarker.circle
        ? element('circle', { cx: options.x + 10, cy, r: 4, fill: entry.color })
        : marker === LegendMarker.square
          ? element('rect', { x: options.x + 4, y: cy - 6, width: 12, height: 12, fill: entry.color })
          : element('line', { x1: options.x, y1: cy, x2: options.x + 22, y2: cy, stroke: entry.color, 'stroke-width': 2, 'stroke-dasharray': entry.dash });
    parts.push(element('g', { class: 'legend-entry', 'data-label': entry.label }, [swatch, text(options.x + 28, cy + 4, entry.label)]));
    y += row;
  }
  return element('g', { class: 'legend' }, parts);
}

/** Pixel width a legend needs: the swatch (28 px) and its longest label at the 12 px font (7 px per character, a little more than Helvetica's average, so labels never spill). */
export function legendWidth(entries: readonly LegendEntry[], title?: string): number {
  const longest = Math.max(0, ...entries.map((e) => 28 + 7 * e.label.length), title === undefined ? 0 : 7.5 * title.length);
  return Math.ceil(longest);
}
