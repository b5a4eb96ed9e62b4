/**
 * Nats-Msg-Id values: JetStream drops a second message with the same id within the stream's
 * duplicate window, which makes publishing a task or a fragment twice harmless.
 */
export const MsgId = {
  /** `${runId}/${taskId}`. */
  task: (runId: string, taskId: string) => `${runId}/${taskId}` as const,
  /** `${runId}/${taskId}/fragment`. */
  fragment: (runId: string, taskId: string) => `${runId}/${taskId}/fragment` as const,
} as const;
