import { assertRunId } from '../ids/runId.js';

/**
 * NATS subjects, read like paths. Per-run subjects take a runId (checked: a bad one throws a
 * RangeError rather than building a subject that crosses runs). The `all*` entries are the
 * wildcards that streams and cluster-wide subscribers use.
 */
export const Subject = {
  /** Tasks of one run (work-queue stream RELUREC_TASKS). */
  tasks: (runId: string) => `relurec.${assertRunId(runId)}.tasks` as const,
  /** Raw fragments of one run, as workers publish them (stream RELUREC_FRAGMENTS). */
  fragments: (runId: string) => `relurec.${assertRunId(runId)}.fragments` as const,
  /**
   * Merged fragments of one run: each accepted fragment once, republished by the merger service
   * (stream RELUREC_FRAGMENTS too). The coordinator reads only these.
   */
  merged: (runId: string) => `relurec.${assertRunId(runId)}.merged` as const,
  /** Events of one run; `''` (cluster-wide events: workers joining, lost) gives `relurec.cluster.events`. */
  events: (runId: string) => (runId === '' ? CLUSTER_EVENTS : (`relurec.${assertRunId(runId)}.events` as const)),
  /** Every run's tasks. */
  allTasks: 'relurec.*.tasks',
  /** Every run's raw fragments. */
  allFragments: 'relurec.*.fragments',
  /** Every run's merged fragments. */
  allMerged: 'relurec.*.merged',
  /** Every event, cluster-wide ones included. */
  allEvents: 'relurec.*.events',
  /** Worker heartbeats (core NATS, not stored). */
  heartbeat: 'relurec.workers.heartbeat',
  /** The oracle service (request/reply): workers send query batches, the service answers. */
  oracleQuery: 'relurec.oracle.query',
} as const;

const CLUSTER_EVENTS = 'relurec.cluster.events' as const;
