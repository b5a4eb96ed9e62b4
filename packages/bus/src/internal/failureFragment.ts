import type { FragmentMessage, TaskMessage } from '@relurec/protocol';
import { PROTOCOL_VERSION } from '@relurec/protocol';

/** The failure fragment the bus publishes for a task whose last attempt failed. */
export function failureFragment(task: TaskMessage, error: unknown, workerId: string, seconds: number): FragmentMessage {
  const name = error instanceof Error && error.name !== '' ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    v: PROTOCOL_VERSION,
    runId: task.runId,
    taskId: task.taskId,
    phase: task.phase,
    kind: task.kind,
    workerId,
    queries: 0,
    seconds: Math.max(0, seconds),
    failure: { name, message, budget: name === 'QueryBudgetExceededError' },
  };
}

/** Throws unless a handler's fragment answers `task` (a mixed-up fragment would be merged into the wrong cell). */
export function checkFragmentAnswers(fragment: FragmentMessage, task: TaskMessage): void {
  if (fragment?.runId !== task.runId || fragment?.taskId !== task.taskId) {
    throw new TypeError(
      `handler returned a fragment for run ${String(fragment?.runId)} task ${String(fragment?.taskId)} ` +
        `when serving task ${task.taskId} of run ${task.runId}`,
    );
  }
}
