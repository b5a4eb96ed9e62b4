/**
 * How the incoming columns of a true and a recovered layer line up: column p of the comparison is
 * true column trueCols[p] and recovered column recCols[p], and a recovered weight in that column is
 * multiplied by rho[p] to be in truth units (rho = recovered activation / true activation of the
 * matched previous-layer pair; 1 for inputs and whenever the earlier layers matched completely).
 */
export interface ColumnAlignment {
  readonly trueCols: Int32Array;
  readonly recCols: Int32Array;
  readonly rho: Float64Array;
}

/** Inputs are identified by index: the first `count` inputs of both networks, rho = 1. */
export function leadingColumns(count: number): ColumnAlignment {
  const cols = Int32Array.from({ length: count }, (_, p) => p);
  return { trueCols: cols, recCols: cols.slice(), rho: new Float64Array(count).fill(1) };
}
