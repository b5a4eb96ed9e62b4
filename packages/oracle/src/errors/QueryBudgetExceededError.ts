import { OracleError } from './OracleError.js';

/**
 * A batch was refused whole because answering it would cross the query budget. Nothing of the batch
 * reached the black box and nothing of it was counted. Counts are in rows (one row = one query).
 */
export class QueryBudgetExceededError extends OracleError {
  override readonly name = 'QueryBudgetExceededError';

  constructor(
    /** The hard limit, in rows. */
    readonly budget: number,
    /** Rows already answered (and counted) before this batch. */
    readonly used: number,
    /** Rows in the refused batch. */
    readonly requested: number,
    options?: { cause?: unknown },
  ) {
    super(
      `query budget exceeded: a batch of ${requested} rows would bring the count to ${used + requested}, ` +
        `above the budget of ${budget} (${used} used, ${Math.max(0, budget - used)} left); the batch was refused`,
      options,
    );
  }
}
