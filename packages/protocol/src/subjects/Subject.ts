import { assertRunId } from '../ids/runId.js';

/**
 * NATS subjects, read like paths. Per-run subjects take a runId (checked: a bad one throws a
 * RangeError rather than building a subject that crosses runs). The `all*` entries are the
 * wildcards that streams and cluster-wide subscribers use.
 */
export const Subject = {
  /** Tasks of one run (work-queue stream RELUREC_TASKS). */
  tasks: (runId: string) => `relurec.${assertRunId(runId)}.tasks` as const,
  /** Fragments of one run (stream RELUREC_FRAGMENTS). */
  fragments: (runId: string) => `relurec.${assertRunId(runId)}.fragments` as const,
  /** Events of one run; `''` (cluster-wide events: workers joining, lost) gives `relurec.cluster.events`. */
  events: (runId: string) => (runId === '' ? CLUSTER_EVENTS : (`relurec.${assertRunId(runId)}.events` as const)),
  /** Every run's tasks. */
  allTasks: 'relurec.*.tasks',
  /** Every run's fragments. */
  allFragments: 'relurec.*.fragments',
  /** Every event, cluster-wide ones included. */
  allEvents: 'relurec.*.events',
  /** Worker heartbeats (core NATS, not stored). */
  heartbeat: 'relurec.workers.heartbeat',
  /** The oracle service (request/reply): workers send query batches, the service answers. */
  oracleQuery: 'relurec.oracle.query',
} as const;

const CLUSTER_EVENTS = 'relurec.cluster.events' as const;
