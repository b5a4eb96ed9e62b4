import { OracleError } from './OracleError.js';

/** Why a request to a remote oracle failed. */
export const RequestFailure = {
  /** The server answered with a non-2xx status. */
  status: 'status',
  /** No complete answer within the timeout. */
  timeout: 'timeout',
  /** Connection refused or reset, DNS failure, and the like. */
  network: 'network',
  /** A 2xx answer that is not JSON, has the wrong shape, or holds non-finite values. */
  answer: 'answer',
} as const;
export type RequestFailure = (typeof RequestFailure)[keyof typeof RequestFailure];

/** What went wrong, where, and after how many tries. */
export interface OracleRequestErrorFields {
  /** The full URL of the failing request, e.g. `http://host:8080/query`. */
  readonly url: string;
  /** Requests sent before giving up (1 + retries used). */
  readonly attempts: number;
  readonly failure: RequestFailure;
  /** HTTP status of the last answer, when there was one. */
  readonly status?: number;
}

/**
 * A remote oracle could not be used: the last of `attempts` requests to `url` failed. The message
 * says what was wrong, e.g. `HTTP 500 from http://host/query after 5 attempts`; `cause` holds the
 * last underlying error.
 */
export class OracleRequestError extends OracleError {
  override readonly name = 'OracleRequestError';
  readonly url: string;
  readonly attempts: number;
  readonly failure: RequestFailure;
  readonly status: number | undefined;

  constructor(message: string, fields: OracleRequestErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.url = fields.url;
    this.attempts = fields.attempts;
    this.failure = fields.failure;
    this.status = fields.status;
  }
}
