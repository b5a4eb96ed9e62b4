import type { FragmentMessage, TaskFailure } from '../messages/TaskMessage.js';

/**
 * A task's failure, typed again after crossing the bus: built from a fragment whose `failure` is
 * set. `failureName` is the error class name on the worker ('QueryBudgetExceededError', ...).
 */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  readonly runId: string;
  readonly taskId: string;
  readonly workerId: string;
  /** Class name of the error the worker saw. */
  readonly failureName: string;
  /** True when the task ran out of its query budget. */
  readonly budget: boolean;

  constructor(
    message: string,
    fields: { runId: string; taskId: string; workerId: string; failure: TaskFailure },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.runId = fields.runId;
    this.taskId = fields.taskId;
    this.workerId = fields.workerId;
    this.failureName = fields.failure.name;
    this.budget = fields.failure.budget;
  }

  /**
   * The error a failure fragment stands for.
   * @throws TypeError when the fragment has no `failure` (it succeeded).
   */
  static fromFragment(fragment: FragmentMessage): TaskFailedError {
    const { failure } = fragment;
    if (failure === undefined) {
      throw new TypeError(`fragment of task ${fragment.taskId} of run ${fragment.runId} has no failure`);
    }
    return new TaskFailedError(
      `task ${fragment.taskId} of run ${fragment.runId} failed on worker ${fragment.workerId}: ${failure.name}: ${failure.message}`,
      { runId: fragment.runId, taskId: fragment.taskId, workerId: fragment.workerId, failure },
    );
  }
}
