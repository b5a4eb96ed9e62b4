/** Ten categorical colours (Tableau 10), distinguishable in print and by most colour-blind readers. */
export const PALETTE: readonly string[] = Object.freeze([
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
]);

/** The colour of series or layer `index` (0-based), cycling through PALETTE. */
export function colorOf(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`index must be a non-negative integer, got ${index}`);
  return PALETTE[index % PALETTE.length];
}
