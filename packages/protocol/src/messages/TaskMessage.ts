/** Version of every message this package defines; a message with another version is rejected. */
export const PROTOCOL_VERSION = 1 as const;

/**
 * One unit of query-spending work (ALGORITHM.md section 8). Everything a worker needs is in the
 * message or in the run record it names: tasks are idempotent (same input, same seed, same fragment).
 */
export interface TaskMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly runId: string;
  /** Sortable id: fragments are merged in task-id order ('00012.00003' = phase 12, task 3). */
  readonly taskId: string;
  /** Phase sequence number within the run; fragments of an older phase are stale. */
  readonly phase: number;
  /** What to run (a kind the recovery's task registry knows). */
  readonly kind: string;
  /** Per-task seed (uint32) derived from the run seed and the task id. */
  readonly seed: number;
  /** Queries (rows) this task may spend; null for no limit. */
  readonly budget: number | null;
  /** Kind-specific input: plain data and Float64Arrays. */
  readonly input: unknown;
}

/** Why a task produced no output. */
export interface TaskFailure {
  /** Error class name ('QueryBudgetExceededError', 'OracleRequestError', ...). */
  readonly name: string;
  readonly message: string;
  /** True when the task ran out of its query budget (the run then stops incomplete). */
  readonly budget: boolean;
}

/** The result of one task, published by the worker that ran it. */
export interface FragmentMessage {
  readonly v: typeof PROTOCOL_VERSION;
  readonly runId: string;
  readonly taskId: string;
  readonly phase: number;
  readonly kind: string;
  readonly workerId: string;
  /** Distinct rows this task sent to the black box (its own cache; independent of scheduling). */
  readonly queries: number;
  /** Wall-clock seconds the task took on its worker (informational; never merged). */
  readonly seconds: number;
  /** Kind-specific output when the task succeeded. */
  readonly output?: unknown;
  /** Set when the task failed; output is then absent. */
  readonly failure?: TaskFailure;
}
