import type { RecoveryResult } from '@relurec/recovery';

/** Blob name under which the coordinator stores a finished run's result. */
export const resultBlobName = (runId: string): string => `result-${runId}`;

/** What a finished run leaves on the bus: the network (relu-net document) and the report. */
export interface StoredResult {
  /** relu-net v1 document of the recovered network. */
  network: unknown;
  result: Omit<RecoveryResult, 'network'>;
}
