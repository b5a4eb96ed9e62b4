import type { Bus } from '@relurec/bus';
import type { FragmentCollector } from '@relurec/merger';
import { PROTOCOL_VERSION, type RunRecord, type TaskMessage } from '@relurec/protocol';
import { collectPhase, taskId, taskSeed, type Dispatch, type PlanProgress, type TaskSpec } from '@relurec/recovery';

export interface BusDispatchOptions {
  bus: Bus;
  record: RunRecord;
  collector: FragmentCollector;
  log?: (message: string) => void;
  progress?: (p: PlanProgress) => void;
  /** After each phase: its name, number, tasks and the queries they spent. */
  onPhase?: (name: string, phase: number, tasks: number, queries: number) => void;
}

export interface BusDispatch extends Dispatch {
  /** Phases run so far. */
  readonly phases: number;
  /** Tasks issued so far (replayed ones included). */
  readonly tasksIssued: number;
  /** Tasks whose fragments came from an earlier incarnation of the coordinator (resume). */
  readonly tasksReplayed: number;
}

/**
 * The coordinator's side of a phase: numbers the tasks ('phase.index'), derives each task's seed
 * from the run seed and its id, gives each a share of the remaining budget, publishes those not
 * already answered (on a resumed run most are), and waits for every fragment. Outputs come back in
 * task order, so the plan never sees arrival order.
 */
export function createBusDispatch(options: BusDispatchOptions): BusDispatch {
  const { bus, record, collector } = options;
  let phase = 0, queries = 0, issued = 0, replayed = 0;
  return {
    get queries() { return queries; },
    get phases() { return phase; },
    get tasksIssued() { return issued; },
    get tasksReplayed() { return replayed; },
    progress: options.progress,
    async run(name: string, specs: readonly TaskSpec[]): Promise<unknown[]> {
      phase++;
      // Budgets per task, deterministically: an even share of what the completed phases left.
      const share = record.budget === null ? null : Math.max(0, Math.floor((record.budget - queries) / Math.max(1, specs.length)));
      const tasks: TaskMessage[] = specs.map((s, i) => {
        const id = taskId(phase, i);
        return { v: PROTOCOL_VERSION, runId: record.runId, taskId: id, phase, kind: s.kind, seed: taskSeed(record.seed, id), budget: share, input: s.input };
      });
      issued += tasks.length;
      const fresh = tasks.filter((t) => !collector.has(t.taskId));
      replayed += tasks.length - fresh.length;
      if (fresh.length > 0) await bus.publishTasks(fresh);
      const fragments = await collector.await(tasks);
      const results = fragments.map((f) => {
        const out = f.output as { value: unknown; log: string[] } | undefined;
        return { output: out?.value, log: out?.log ?? [], failure: f.failure, queries: f.queries };
      });
      const spent = results.reduce((s, r) => s + r.queries, 0);
      options.onPhase?.(name, phase, tasks.length, spent);
      return collectPhase(phase, specs, results, (q) => (queries += q), options.log);
    },
  };
}
