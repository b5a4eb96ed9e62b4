import type { Bus } from '@relurec/bus';
import type { FragmentCollector } from '@relurec/merger';
import { PROTOCOL_VERSION, type RunRecord, type TaskMessage } from '@relurec/protocol';
import { collectPhase, taskId, taskSeed, type Dispatch, type PhaseOverlap, type PlanProgress, type TaskSpec } from '@relurec/recovery';

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
  // Per phase number: queries spent (once resolved) and budget handed out.
  const spentIn: number[] = [], reserved: number[] = [];
  return {
    get queries() { return queries; },
    get phases() { return phase; },
    get tasksIssued() { return issued; },
    get tasksReplayed() { return replayed; },
    progress: options.progress,
    async run(name: string, specs: readonly TaskSpec[], overlap?: PhaseOverlap): Promise<unknown[]> {
      const p = ++phase;
      // Budgets per task, deterministically: an even share of what the completed phases left; with
      // an overlap, the phases in flight count as spending their whole share (whether done or not),
      // and what is left is shared among the window's free places.
      const inFlight = overlap?.inFlight ?? 0, places = Math.max(1, (overlap?.window ?? 1) - inFlight);
      let left = record.budget ?? 0;
      for (let q = 1; q < p; q++) left -= q < p - inFlight ? spentIn[q] : reserved[q];
      const share = record.budget === null ? null : Math.max(0, Math.floor(left / places / Math.max(1, specs.length)));
      reserved[p] = (share ?? 0) * specs.length;
      const tasks: TaskMessage[] = specs.map((s, i) => {
        const id = taskId(p, i);
        return { v: PROTOCOL_VERSION, runId: record.runId, taskId: id, phase: p, kind: s.kind, seed: taskSeed(record.seed, id), budget: share, input: s.input };
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
      spentIn[p] = spent;
      options.onPhase?.(name, p, tasks.length, spent);
      return collectPhase(p, specs, results, (q) => (queries += q), options.log);
    },
  };
}
