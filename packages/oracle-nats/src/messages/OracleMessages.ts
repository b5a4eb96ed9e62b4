/** Most rows one query request may carry; a client splits larger batches. */
export const MAX_ROWS_PER_REQUEST = 65_536;

/** Reply on `relurec.oracle.<name>.info`. */
export interface OracleInfo {
  readonly inputDim: number;
  readonly outputDim: number;
}

/**
 * One part of a batch that a client split over several requests (to stay under max_payload). The
 * first part reserves the whole rest of the batch against the budget, so a batch that would cross
 * the budget is refused whole before any of it is evaluated.
 */
export interface OracleBatchPart {
  /** Client-chosen id of the batch (one subject-token-like string, at most 64 characters). */
  readonly id: string;
  /** Rows of the batch not yet answered, this request's included (>= the request's rows). */
  readonly rows: number;
}

/** Request on `relurec.oracle.<name>.query` (MessagePack; inputs travel as a typed array). */
export interface OracleQueryRequest {
  /** Row-major rows x inputDim finite values. */
  readonly inputs: Float64Array;
  /** Rows in this request: an integer from 1 to MAX_ROWS_PER_REQUEST. */
  readonly rows: number;
  /** Present when the request is one part of a split batch. */
  readonly batch?: OracleBatchPart;
}

/** A successful answer. */
export interface OracleQueryAnswer {
  /** Row-major rows x outputDim values. */
  readonly outputs: Float64Array;
  /** Id of the replica that answered; the rest of a split batch goes to `relurec.oracle.<name>.query.<replica>`. */
  readonly replica: string;
}

/** What went wrong, as it crosses the bus; the client turns it back into a typed error. */
export interface OracleErrorBody {
  /** Error class name: QueryBudgetExceededError, MalformedMessageError, OracleAnswerError, OracleRequestError, ... */
  readonly name: string;
  readonly message: string;
  /** True when the batch was refused for the budget; then limit, used and requested are set (rows). */
  readonly budget: boolean;
  readonly limit?: number;
  readonly used?: number;
  readonly requested?: number;
  /** The offending field of a malformed request (MalformedMessageError). */
  readonly field?: string;
  /** Row (within the request) and column of a bad value the black box answered (OracleAnswerError). */
  readonly row?: number;
  readonly column?: number;
}

/** A refusal or failure. */
export interface OracleErrorReply {
  readonly error: OracleErrorBody;
}

/** Reply on a query subject. */
export type OracleQueryReply = OracleQueryAnswer | OracleErrorReply;
