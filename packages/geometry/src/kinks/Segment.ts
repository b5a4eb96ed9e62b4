/** The line origin + t * direction for t in [t0, t1]. */
export interface Segment {
  readonly origin: Float64Array;
  readonly direction: Float64Array;
  readonly t0: number;
  readonly t1: number;
}

export function pointOnSegment(segment: Segment, t: number): Float64Array {
  const { origin, direction } = segment;
  const x = new Float64Array(origin.length);
  for (let i = 0; i < x.length; i++) x[i] = origin[i] + t * direction[i];
  return x;
}

/** The segment from a to b, t in [0, 1]. */
export function segmentBetween(a: Float64Array, b: Float64Array): Segment {
  const direction = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) direction[i] = b[i] - a[i];
  return { origin: Float64Array.from(a), direction, t0: 0, t1: 1 };
}
