/**
 * Up to `count` of the items, evenly along the list by index (item floor(i n / count) for i <
 * count); all of them, in order, when there are no more than `count`. Trace points are in walking
 * order, so this spreads them along the boundary.
 */
export function spreadByIndex<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}
