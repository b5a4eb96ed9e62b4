export { serveOracleOverNats } from './serve/serveOracleOverNats.js';
export type { OracleService, ServeOracleOptions } from './serve/serveOracleOverNats.js';
export { connectNatsOracle } from './connect/connectNatsOracle.js';
export type { NatsOracle, NatsOracleOptions } from './connect/connectNatsOracle.js';
export type { NatsConnectionOptions } from './NatsConnectionOptions.js';
export { ORACLE_QUEUE, oracleSubjects } from './subjects/index.js';
export type { OracleSubjects } from './subjects/index.js';
export { MAX_ROWS_PER_REQUEST, validateQueryRequest } from './messages/index.js';
export type {
  OracleBatchPart,
  OracleErrorBody,
  OracleErrorReply,
  OracleInfo,
  OracleQueryAnswer,
  OracleQueryReply,
  OracleQueryRequest,
} from './messages/index.js';
