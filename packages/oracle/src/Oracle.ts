/**
 * The only door to a black box. A query is one input row; every row evaluated counts.
 * Inputs are row-major (rows x inputDim), outputs row-major (rows x outputDim).
 */
export interface Oracle {
  readonly inputDim: number;
  readonly outputDim: number;
  /** Evaluates a batch. Rejects with an OracleError subclass when the black box fails. */
  query(inputs: Float64Array, rows: number): Promise<Float64Array>;
  /** Releases sockets, sessions or files. Safe to call twice. */
  close(): Promise<void>;
}
