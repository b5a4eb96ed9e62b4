import { OracleAnswerError } from '../errors/OracleAnswerError.js';
import { assertFiniteOutputs } from './assertFiniteOutputs.js';

/**
 * Checks the length of an answer to a batch of `rows` rows, then its finiteness.
 * @throws OracleAnswerError naming the first missing or extra row, or the first non-finite value
 */
export function assertAnswerShape(outputs: Float64Array, rows: number, outputDim: number): void {
  const expected = rows * outputDim;
  if (outputs.length !== expected) {
    const row = outputs.length < expected ? Math.floor(outputs.length / outputDim) : rows;
    throw new OracleAnswerError(
      `answer has ${outputs.length} values, expected rows (${rows}) x outputDim (${outputDim}) = ${expected}`,
      { row },
    );
  }
  assertFiniteOutputs(outputs, outputDim);
}
