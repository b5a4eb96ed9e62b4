export { MAX_ROWS_PER_REQUEST } from './OracleMessages.js';
export type {
  OracleBatchPart,
  OracleErrorBody,
  OracleErrorReply,
  OracleInfo,
  OracleQueryAnswer,
  OracleQueryReply,
  OracleQueryRequest,
} from './OracleMessages.js';
export { validateQueryRequest } from './validateQueryRequest.js';
