import type { TaskKind } from '../tasks/TaskKind.js';

/** A task as the plan asks for it; the dispatcher gives it an id, a seed and a budget. */
export interface TaskSpec {
  readonly kind: TaskKind;
  readonly input: unknown;
}

/** Why a task produced no output (as carried by its fragment). */
export interface TaskFailure {
  readonly name: string;
  readonly message: string;
  /** The task ran out of query budget. */
  readonly budget: boolean;
}

/** A task that failed for good: the run stops and keeps what it learned. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  constructor(readonly taskId: string, readonly kind: string, readonly failure: TaskFailure) {
    super(`${kind} task ${taskId} failed: ${failure.name}: ${failure.message}`);
  }
}

/** Where the plan stands, for progress displays and the run-status store. */
export interface PlanProgress {
  phase: string;
  /** Hidden layer being recovered (1-based). */
  layer: number;
  /** Neurons found so far per hidden layer. */
  neurons: number[];
}

/**
 * A phase that overlaps others (a window of phases in flight, e.g. a layer's traces): the `inFlight`
 * phases issued just before it may still run; every earlier phase has resolved and been used.
 * A query budget is then shared as if `window` phases ran side by side, counting those in flight as
 * spending their whole share, so shares do not depend on which of them happen to have finished.
 */
export interface PhaseOverlap {
  inFlight: number;
  window: number;
}

/**
 * How the plan spends queries: every query-spending step is a phase of tasks run by someone else
 * (inline, a thread pool, or cluster workers). Outputs come back in task order whatever the order
 * of completion, so the plan is deterministic. Phases run one after another unless the plan issues
 * them with an overlap (PhaseOverlap); their numbers follow the order of the calls.
 */
export interface Dispatch {
  /** Runs the tasks of one phase; resolves with their outputs in task order. @throws TaskFailedError */
  run(phase: string, tasks: readonly TaskSpec[], overlap?: PhaseOverlap): Promise<unknown[]>;
  /** Logical queries: distinct rows of every completed task. */
  readonly queries: number;
  /** Optional progress sink (phase, layer, neurons). */
  progress?(p: PlanProgress): void;
}
