/**
 * Nats-Msg-Id values: JetStream drops a second message with the same id within the stream's
 * duplicate window, which makes publishing a task or a fragment twice harmless.
 */
export const MsgId = {
  /** `${runId}/${taskId}`. */
  task: (runId: string, taskId: string) => `${runId}/${taskId}` as const,
  /** `${runId}/${taskId}/fragment`: a raw fragment (a worker's answer). */
  fragment: (runId: string, taskId: string) => `${runId}/${taskId}/fragment` as const,
  /** `${runId}/${taskId}/merged`: the merged-stage copy of a task's accepted fragment. */
  merged: (runId: string, taskId: string) => `${runId}/${taskId}/merged` as const,
} as const;
