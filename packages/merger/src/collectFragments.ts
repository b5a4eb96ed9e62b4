import type { Bus, Subscription } from '@relurec/bus';
import type { FragmentMessage, FragmentStage, TaskMessage } from '@relurec/protocol';

export interface FragmentStats {
  /** Fragments kept (one per task). */
  accepted: number;
  /** Second and later fragments of a task already kept (redelivered tasks): ignored. */
  duplicates: number;
  /** Fragments whose kind or phase does not match the task issued under that id: rejected. */
  stale: number;
  /** Fragments of another run on this run's subject: rejected. */
  foreign: number;
}

export interface FragmentCollector {
  /** True when a fragment for this task id is already kept (replayed after a restart). */
  has(taskId: string): boolean;
  /** The fragments of these tasks, in task order, once all have arrived. */
  await(tasks: readonly TaskMessage[]): Promise<FragmentMessage[]>;
  readonly stats: Readonly<FragmentStats>;
  stop(): Promise<void>;
}

export interface CollectorOptions {
  bus: Bus;
  runId: string;
  /**
   * Which fragments to collect: 'raw' (the default; as workers publish them) or 'merged' (as the
   * merger service republishes the accepted ones: the coordinator's intake when a merger runs).
   */
  stage?: FragmentStage;
  /** One line per rejected fragment. */
  onReject?: (reason: string, fragment: FragmentMessage) => void;
}

/**
 * The merger's intake (ALGORITHM.md section 8): every fragment of a run, replayed from the start
 * after a restart, kept once per task id (a redelivered task's second fragment is ignored, so
 * nothing is double-counted), checked against the task that was issued under its id, and handed
 * to the stitching step in task-id order, never arrival order.
 */
export function collectFragments(options: CollectorOptions): FragmentCollector {
  const { bus, runId } = options;
  const kept = new Map<string, FragmentMessage>();
  // Fragments handed to the stitching step are let go (their ids kept for dedupe): the intake holds
  // only what is waiting for its phase, not the whole run (a 784-input run's Jacobians add up).
  const consumed = new Set<string>();
  const waiting = new Map<string, () => void>();
  const stats: FragmentStats = { accepted: 0, duplicates: 0, stale: 0, foreign: 0 };
  const sub: Subscription = bus.subscribeFragments(runId, (f) => {
    if (f.runId !== runId) {
      stats.foreign++;
      options.onReject?.(`fragment of run '${f.runId}' on run '${runId}'`, f);
      return;
    }
    if (kept.has(f.taskId) || consumed.has(f.taskId)) {
      stats.duplicates++;
      return;
    }
    kept.set(f.taskId, f);
    stats.accepted++;
    waiting.get(f.taskId)?.();
  }, { stage: options.stage ?? 'raw' });
  return {
    has: (taskId) => kept.has(taskId) || consumed.has(taskId),
    stats,
    async await(tasks) {
      for (const t of tasks) {
        // A kept fragment that does not answer this task (another plan under the same id) is stale.
        const f = kept.get(t.taskId);
        if (f && (f.kind !== t.kind || f.phase !== t.phase)) {
          kept.delete(t.taskId);
          stats.accepted--;
          stats.stale++;
          options.onReject?.(`fragment ${f.taskId} is ${f.kind}/phase ${f.phase}, the task is ${t.kind}/phase ${t.phase}`, f);
        }
      }
      await Promise.all(tasks.map((t) => kept.has(t.taskId) ? undefined : new Promise<void>((resolve) => waiting.set(t.taskId, () => {
        const f = kept.get(t.taskId)!;
        if (f.kind !== t.kind || f.phase !== t.phase) {
          kept.delete(t.taskId);
          stats.accepted--;
          stats.stale++;
          options.onReject?.(`fragment ${f.taskId} is ${f.kind}/phase ${f.phase}, the task is ${t.kind}/phase ${t.phase}`, f);
          return;
        }
        waiting.delete(t.taskId);
        resolve();
      }))));
      const out = tasks.map((t) => kept.get(t.taskId)!);
      for (const t of tasks) {
        kept.delete(t.taskId);
        consumed.add(t.taskId);
      }
      return out;
    },
    stop: () => sub.stop(),
  };
}
