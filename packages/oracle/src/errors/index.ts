export { OracleError } from './OracleError.js';
export { OracleAnswerError } from './OracleAnswerError.js';
export type { OracleAnswerErrorFields } from './OracleAnswerError.js';
export { OracleClosedError } from './OracleClosedError.js';
export { OracleRequestError, RequestFailure } from './OracleRequestError.js';
export type { OracleRequestErrorFields } from './OracleRequestError.js';
export { QueryBudgetExceededError } from './QueryBudgetExceededError.js';
