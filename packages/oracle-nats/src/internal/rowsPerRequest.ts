/** Largest request or answer the client sends or asks for, in bytes (max_payload is 1 MiB by default). */
export const MESSAGE_BYTES_LIMIT = 900_000;
/** Room kept for the MessagePack envelope (keys, batch id, typed-array header). */
const ENVELOPE_BYTES = 512;

/**
 * Rows per query request so that both the request (rows x inputDim float64) and its answer
 * (rows x outputDim float64) stay under min(900 kB, 90% of the server's max_payload); at most `maxRows`.
 * @returns a positive integer, or 0 when not even one row fits
 */
export function rowsPerRequest(inputDim: number, outputDim: number, maxPayload: number, maxRows: number): number {
  const limit = Math.min(MESSAGE_BYTES_LIMIT, Math.floor(maxPayload * 0.9)) - ENVELOPE_BYTES;
  const rows = Math.floor(limit / (8 * Math.max(inputDim, outputDim)));
  return Math.max(0, Math.min(maxRows, rows));
}
