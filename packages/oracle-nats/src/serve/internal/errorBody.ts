import { OracleAnswerError, QueryBudgetExceededError } from '@relurec/oracle';
import { MalformedMessageError } from '@relurec/protocol';
import type { OracleErrorBody } from '../../messages/OracleMessages.js';

/** The bus form of an error: its class name, message and typed fields. */
export function errorBody(err: unknown): OracleErrorBody {
  if (err instanceof QueryBudgetExceededError) {
    return { name: err.name, message: err.message, budget: true, limit: err.budget, used: err.used, requested: err.requested };
  }
  if (err instanceof MalformedMessageError) return { name: err.name, message: err.message, budget: false, field: err.field };
  if (err instanceof OracleAnswerError) {
    return { name: err.name, message: err.message, budget: false, row: err.row, ...(err.column === undefined ? {} : { column: err.column }) };
  }
  if (err instanceof Error) return { name: err.name, message: err.message, budget: false };
  return { name: 'Error', message: String(err), budget: false };
}
