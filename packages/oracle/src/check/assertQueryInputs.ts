/**
 * Checks a query batch before it reaches a black box: `inputs` is a Float64Array of exactly
 * rows x inputDim finite values (row-major). Every {@link Oracle} implementation calls this first, so
 * a bad batch fails the same way whichever box is behind it, and no query is spent on it.
 * @throws TypeError when inputs is not a Float64Array
 * @throws RangeError naming rows/inputDim when the length is wrong, or the row and column of a non-finite input
 */
export function assertQueryInputs(inputs: Float64Array, rows: number, inputDim: number): void {
  if (!(inputs instanceof Float64Array)) {
    throw new TypeError(`inputs must be a Float64Array (row-major rows x inputDim), got ${describeType(inputs)}`);
  }
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  }
  if (inputs.length !== rows * inputDim) {
    throw new RangeError(
      `inputs has ${inputs.length} values, expected rows (${rows}) x inputDim (${inputDim}) = ${rows * inputDim}`,
    );
  }
  for (let k = 0; k < inputs.length; k++) {
    // x - x is 0 for finite x and NaN for NaN and +-Infinity: one comparison instead of two.
    if (inputs[k] - inputs[k] !== 0) {
      throw new RangeError(
        `inputs row ${Math.floor(k / inputDim)} column ${k % inputDim} is ${inputs[k]}, inputs must be finite`,
      );
    }
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
