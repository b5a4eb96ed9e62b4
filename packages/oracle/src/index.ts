export type { Oracle } from './Oracle.js';
export {
  OracleAnswerError,
  OracleClosedError,
  OracleError,
  OracleRequestError,
  QueryBudgetExceededError,
  RequestFailure,
} from './errors/index.js';
export type { OracleAnswerErrorFields, OracleRequestErrorFields } from './errors/index.js';
export { assertAnswerShape, assertFiniteOutputs, assertQueryInputs } from './check/index.js';
export { createNetworkOracle } from './local/index.js';
export { createBudgetedOracle } from './budget/index.js';
export type { BudgetOptions, CountingOracle } from './budget/index.js';
export { connectHttpOracle, createOracleServer, parseHeaderOption } from './http/index.js';
export type { HeaderOption, HttpOracle, HttpOracleOptions, OracleServer, OracleServerOptions } from './http/index.js';
