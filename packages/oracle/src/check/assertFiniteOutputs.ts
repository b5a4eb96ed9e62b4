import { OracleAnswerError } from '../errors/OracleAnswerError.js';

/**
 * Checks that every value of an answer is a finite number. `values` is row-major with `outputDim`
 * values per row (a Float64Array from a local box, or one decoded JSON row); `firstRow` is the row
 * index of values[0], so errors name the row of the whole answer.
 * @throws OracleAnswerError with the row and column of the first value that is NaN, +-Infinity, or not a number at all
 */
export function assertFiniteOutputs(values: ArrayLike<unknown>, outputDim: number, firstRow = 0): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || v - v !== 0) {
      const row = firstRow + Math.floor(k / outputDim), column = k % outputDim;
      throw new OracleAnswerError(
        `answer row ${row} holds a non-finite value (column ${column}: ${describeValue(v)})`,
        { row, column, value: v },
      );
    }
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'undefined';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
