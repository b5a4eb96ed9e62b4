/**
 * Joins segments [x0, y0, x1, y1] that share end points into polylines (flat x, y arrays), so that
 * a dashed line keeps its rhythm across region edges. End points within `snap` (in both coordinates,
 * after rounding to a grid of that size) count as shared. Deterministic: segments are taken in order.
 */
export function chainSegments(segments: readonly (readonly number[])[], snap: number): Float64Array[] {
  const key = (x: number, y: number) => `${Math.round(x / snap)},${Math.round(y / snap)}`;
  const ends = new Map<string, number[]>();
  segments.forEach((s, i) => {
    for (const k of [key(s[0], s[1]), key(s[2], s[3])]) {
      const list = ends.get(k);
      if (list === undefined) ends.set(k, [i]);
      else list.push(i);
    }
  });
  const used = new Uint8Array(segments.length);
  const next = (x: number, y: number): [number, number] | null => {
    for (const i of ends.get(key(x, y)) ?? []) {
      if (used[i]) continue;
      used[i] = 1;
      const s = segments[i];
      return key(s[0], s[1]) === key(x, y) ? [s[2], s[3]] : [s[0], s[1]];
    }
    return null;
  };
  const lines: Float64Array[] = [];
  segments.forEach((s, i) => {
    if (used[i]) return;
    used[i] = 1;
    const forward: number[] = [s[2], s[3]];
    for (let p = next(s[2], s[3]); p !== null; p = next(p[0], p[1])) forward.push(p[0], p[1]);
    const backward: number[] = [];
    for (let p = next(s[0], s[1]); p !== null; p = next(p[0], p[1])) backward.push(p[0], p[1]);
    const line: number[] = [];
    for (let k = backward.length - 2; k >= 0; k -= 2) line.push(backward[k], backward[k + 1]);
    line.push(s[0], s[1], ...forward);
    lines.push(Float64Array.from(line));
  });
  return lines;
}
