import type { Scale } from '../scale/Scale.js';
import { element, text } from './element.js';

/** Where an axis sits: along the bottom of the plot (x axis) or its left side (y axis). */
export const AxisOrientation = {
  bottom: 'bottom',
  left: 'left',
} as const;
export type AxisOrientation = (typeof AxisOrientation)[keyof typeof AxisOrientation];

export interface AxisOptions {
  orientation: AxisOrientation;
  /** Pixel y of a bottom axis, pixel x of a left axis. */
  position: number;
  /** Axis title. Default none. */
  label?: string;
  /** Length in pixels of light grid lines drawn from each tick across the plot (up for bottom, right for left). Default 0: none. */
  gridLength?: number;
  /** Tick mark length in pixels. Default 5. */
  tickLength?: number;
}

/** An axis as a <g class="axis axis-bottom|axis-left">: the line, tick marks, tick labels, optional grid and title. */
export function drawAxis(scale: Scale, options: AxisOptions): string {
  const { orientation, position } = options;
  if (orientation !== AxisOrientation.bottom && orientation !== AxisOrientation.left) {
    throw new RangeError(`options.orientation must be 'bottom' or 'left', got '${String(orientation)}'`);
  }
  if (!Number.isFinite(position)) throw new RangeError(`options.position must be a finite pixel position, got ${position}`);
  const tick = options.tickLength ?? 5;
  const grid = options.gridLength ?? 0;
  const [r0, r1] = scale.range;
  const parts: string[] = [];
  const bottom = orientation === AxisOrientation.bottom;
  for (const t of scale.ticks()) {
    const p = scale.map(t.value);
    if (bottom) {
      if (grid > 0) parts.push(element('line', { x1: p, y1: position, x2: p, y2: position - grid, stroke: '#e6e6e6', 'stroke-width': 1 }));
      parts.push(element('line', { x1: p, y1: position, x2: p, y2: position + tick, stroke: '#333' }));
      parts.push(text(p, position + tick + 13, t.label, { 'text-anchor': 'middle', class: 'tick-label' }));
    } else {
      if (grid > 0) parts.push(element('line', { x1: position, y1: p, x2: position + grid, y2: p, stroke: '#e6e6e6', 'stroke-width': 1 }));
      parts.push(element('line', { x1: position - tick, y1: p, x2: position, y2: p, stroke: '#333' }));
      parts.push(text(position - tick - 3, p + 4, t.label, { 'text-anchor': 'end', class: 'tick-label' }));
    }
  }
  parts.push(
    bottom
      ? element('line', { x1: r0, y1: position, x2: r1, y2: position, stroke: '#333' })
      : element('line', { x1: position, y1: r0, x2: position, y2: r1, stroke: '#333' }),
  );
  if (options.label !== undefined) {
    const mid = (r0 + r1) / 2;
    parts.push(
      bottom
        ? text(mid, position + tick + 30, options.label, { 'text-anchor': 'middle', class: 'axis-label' })
        : text(0, 0, options.label, {
            'text-anchor': 'middle',
            class: 'axis-label',
            transform: `translate(${position - tick - 42} ${mid}) rotate(-90)`,
          }),
    );
  }
  return element('g', { class: `axis axis-${orientation}` }, parts);
}
