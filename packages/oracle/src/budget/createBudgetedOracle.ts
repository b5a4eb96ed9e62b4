import type { Oracle } from '../Oracle.js';
import { assertAnswerShape } from '../check/assertAnswerShape.js';
import { assertQueryInputs } from '../check/assertQueryInputs.js';
import { assertOracle } from '../internal/assertOracle.js';
import { QueryBudgetExceededError } from '../errors/QueryBudgetExceededError.js';

/** An {@link Oracle} that counts every row it lets through and enforces a hard query budget. */
export interface CountingOracle extends Oracle {
  /** The hard limit in rows; Infinity when unlimited. */
  readonly budget: number;
  /** Rows accepted so far (one row = one query). Never exceeds `budget`. */
  readonly queries: number;
  /** `budget - queries`; Infinity when unlimited. */
  readonly remaining: number;
}

export interface BudgetOptions {
  /** Maximum number of rows (queries) ever sent to the inner oracle; a non-negative integer. Default Infinity (count only). */
  budget?: number;
}

/**
 * Wraps any oracle to count queries and enforce a budget. A batch that would cross the budget is
 * refused whole with {@link QueryBudgetExceededError}: nothing is sent to the inner oracle and nothing
 * is counted, so a client that asks one row at a time stops at exactly `budget` rows.
 *
 * Rows are counted when a batch is accepted, before its answer arrives, so concurrent batches cannot
 * jointly cross the budget; a batch whose inner query then fails stays counted, since the black box
 * may have evaluated it. A malformed batch (see `assertQueryInputs`) is refused uncounted. Every
 * answer is checked: a wrong length or a NaN/Inf value rejects with `OracleAnswerError` naming the
 * row. `close()` closes the inner oracle.
 * @throws TypeError/RangeError when inner is not an oracle; RangeError naming options.budget when it is not a non-negative integer or Infinity
 */
export function createBudgetedOracle(inner: Oracle, options: BudgetOptions = {}): CountingOracle {
  assertOracle(inner, 'inner');
  const budget = options.budget ?? Infinity;
  if (!(budget === Infinity || (Number.isSafeInteger(budget) && budget >= 0))) {
    throw new RangeError(`options.budget must be a non-negative integer or Infinity (rows), got ${options.budget}`);
  }
  const { inputDim, outputDim } = inner;
  let queries = 0;
  return Object.freeze({
    inputDim,
    outputDim,
    budget,
    get queries() {
      return queries;
    },
    get remaining() {
      return budget - queries;
    },
    async query(inputs: Float64Array, rows: number): Promise<Float64Array> {
      // Checked here too so that a malformed batch is refused before it is counted.
      assertQueryInputs(inputs, rows, inputDim);
      if (queries + rows > budget) throw new QueryBudgetExceededError(budget, queries, rows);
      queries += rows;
      const outputs = await inner.query(inputs, rows);
      assertAnswerShape(outputs, rows, outputDim);
      return outputs;
    },
    close(): Promise<void> {
      return inner.close();
    },
  });
}
