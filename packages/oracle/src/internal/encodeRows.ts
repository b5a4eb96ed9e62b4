/**
 * JSON text of a row-major matrix as an array of rows: `[[1,2],[3,4]]`.
 * Number-to-string is the same shortest round-trip form JSON.stringify uses, so float64 values
 * survive exactly (except -0, which JSON writes as 0). Values must be finite: NaN would yield
 * invalid JSON, so callers check first.
 */
export function encodeRows(values: Float64Array, rows: number, cols: number): string {
  const parts = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    parts[r] = `[${values.subarray(r * cols, (r + 1) * cols).join(',')}]`;
  }
  return `[${parts.join(',')}]`;
}
