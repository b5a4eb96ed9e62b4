/** Where a bus sends errors of background work that no caller can catch. */
export type ErrorReporter = (error: Error) => void;

/** The default reporter: a process warning (printed on stderr), never a crash. */
export const warnError: ErrorReporter = (error) => {
  process.emitWarning(error);
};

/** `error` as an Error (a thrown non-Error is wrapped). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
