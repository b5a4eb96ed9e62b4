/**
 * JSON text of a row-major matrix as an array of rows: `[[1,2],[3,4]]`.
 * Number-to-string is the same shortest round-trip form JSON.stringify uses, so float64 values
 * survive exactly (except -0, which JSON writes as 0). Values must be finite: NaN would yield
 * invalid JSON, so callers check first.
 */
export function encodeRows(values: Float64Array, rows: number, cols: number): string {
  // Plain arrays through the native JSON.stringify: the same text as joining the typed rows, ~1.5x
  // faster (95 vs 140 ms for 1000 rows of 784 values here), and most of a 784-input run's client CPU.
  const table = new Array<number[]>(rows);
  for (let r = 0; r < rows; r++) table[r] = Array.from(values.subarray(r * cols, (r + 1) * cols));
  return JSON.stringify(table);
}
