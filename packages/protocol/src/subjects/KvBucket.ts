/** JetStream key-value buckets; keys are runIds. */
export const KvBucket = {
  /** RunRecord of each run (written once when it is submitted). */
  runs: 'relurec-runs',
  /** RunStatus of each run (updated at every phase; the dashboard watches it). */
  status: 'relurec-status',
} as const;
export type KvBucket = (typeof KvBucket)[keyof typeof KvBucket];
