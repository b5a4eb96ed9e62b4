/** Kinds of axis scale. */
export const ScaleKind = {
  linear: 'linear',
  log: 'log',
} as const;
export type ScaleKind = (typeof ScaleKind)[keyof typeof ScaleKind];

/** A labelled tick: where (in domain units) and what to print. */
export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** A map from data values (domain) to pixels (range), with the ticks an axis draws. */
export interface Scale {
  readonly kind: ScaleKind;
  /** [low, high] in data units (low < high). */
  readonly domain: readonly [number, number];
  /** Pixels that domain[0] and domain[1] map to (may be decreasing, as for a y axis). */
  readonly range: readonly [number, number];
  /** Pixel of a data value; values outside the domain map outside the range (no clamping). */
  map(value: number): number;
  /** Tick positions inside the domain, increasing, with labels. */
  ticks(): Tick[];
}
