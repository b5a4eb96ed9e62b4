import type { ScaleKind } from '../scale/Scale.js';

/** One data point, in data units. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A named set of points, drawn in one colour and listed in the legend. */
export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
}

/** How to draw one axis of an x-y chart. */
export interface ChartAxis {
  /** Axis title with units, e.g. 'parameters'. */
  readonly label: string;
  /** Default 'linear'. */
  readonly scale?: ScaleKind;
  /** [low, high] in data units. Default: round numbers around the data (see niceDomain). */
  readonly domain?: readonly [number, number];
  /** Linear axes only: keep 0 inside the default domain. Default false. */
  readonly includeZero?: boolean;
}

/** Common options of the x-y charts. */
export interface XyChartOptions {
  readonly title: string;
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  readonly series: readonly Series[];
  /** Pixels. Default 640. */
  readonly width?: number;
  /** Pixels. Default 420. */
  readonly height?: number;
}
