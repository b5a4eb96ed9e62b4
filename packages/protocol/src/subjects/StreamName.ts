/** JetStream streams of a relurec cluster. */
export const StreamName = {
  /** Work queue (retention 'workqueue') of every run's tasks, subjects `relurec.*.tasks`. */
  tasks: 'RELUREC_TASKS',
  /**
   * Every run's fragments (retention 'limits': kept for replay): raw ones on `relurec.*.fragments`,
   * merged ones on `relurec.*.merged`.
   */
  fragments: 'RELUREC_FRAGMENTS',
} as const;
export type StreamName = (typeof StreamName)[keyof typeof StreamName];
