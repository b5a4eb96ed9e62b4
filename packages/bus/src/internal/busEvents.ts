import type { RunEvent, TaskMessage } from '@relurec/protocol';
import { isRunId, PROTOCOL_VERSION } from '@relurec/protocol';

/** The event published when a received message is rejected. */
export function rejectedEvent(error: unknown, runId: string): RunEvent {
  return {
    v: PROTOCOL_VERSION,
    runId: isRunId(runId) ? runId : '',
    level: 'warn',
    kind: 'message-rejected',
    message: error instanceof Error ? error.message : String(error),
    at: Date.now(),
  };
}

/** The event published when a task's handler threw and the task will be delivered again. */
export function retryEvent(task: TaskMessage, error: unknown, attempt: number, maxDeliver: number, delayMs: number): RunEvent {
  return {
    v: PROTOCOL_VERSION,
    runId: task.runId,
    level: 'warn',
    kind: 'task-retry',
    message: `task ${task.taskId} (${task.kind}) failed on attempt ${attempt} of ${maxDeliver}: ${describeError(error)}; next attempt in ${delayMs} ms`,
    at: Date.now(),
  };
}

/** The event published with the failure fragment of a task whose attempts are all spent. */
export function failedEvent(task: TaskMessage, error: unknown, attempts: number): RunEvent {
  return {
    v: PROTOCOL_VERSION,
    runId: task.runId,
    level: 'error',
    kind: 'task-failed',
    message: `task ${task.taskId} (${task.kind}) failed after ${attempts} attempts: ${describeError(error)}`,
    at: Date.now(),
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
