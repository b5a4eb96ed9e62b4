import type { Probe, QueryFn } from '@relurec/geometry';
import { deriveSeed, type Rng } from '@relurec/random';
import { runTask, runTaskOn, type TaskResult } from '../tasks/runTask.js';
import { TaskFailedError, type Dispatch, type PlanProgress, type TaskSpec } from './Dispatch.js';

/** Task id of task i of phase p: sorts in task order ('00012.00003'). */
export function taskId(phase: number, index: number): string {
  return `${String(phase).padStart(5, '0')}.${String(index).padStart(5, '0')}`;
}

/** The per-task seed: from the run seed and the task id alone (ALGORITHM.md section 8). */
export function taskSeed(runSeed: number, id: string): number {
  return deriveSeed(runSeed, 'task', id);
}

export interface InlineDispatchOptions {
  /** Run seed the task seeds derive from. */
  seed: number;
  log?: (message: string) => void;
  progress?: (p: PlanProgress) => void;
  /** Called after each phase with its name, task count and the queries its tasks spent. */
  onPhase?: (name: string, tasks: number, queries: number) => void;
  /** Every task on this probe and generator (one shared cache) instead of a fresh probe each: for library callers. */
  shared?: { probe: Probe; rng: Rng };
}

/**
 * Runs each phase's tasks in this thread, concurrently, each on its own probe over `query`: the
 * same tasks, outputs and query count as a thread pool or a cluster would give. No budget shares,
 * so overlapping phases need nothing more than their numbers.
 */
export function createInlineDispatch(query: QueryFn, options: InlineDispatchOptions): Dispatch {
  let phase = 0, queries = 0;
  return {
    get queries() {
      return queries;
    },
    progress: options.progress,
    async run(name: string, tasks: readonly TaskSpec[]): Promise<unknown[]> {
      const p = ++phase;
      const results: TaskResult[] = await Promise.all(tasks.map((t, i) => {
        const id = taskId(p, i);
        return options.shared
          ? runTaskOn(t.kind, t.input, options.shared.rng.fork(id), options.shared.probe)
          : runTask(t.kind, t.input, taskSeed(options.seed, id), query);
      }));
      options.onPhase?.(name, tasks.length, results.reduce((s, r) => s + r.queries, 0));
      return collectPhase(p, tasks, results, (q) => (queries += q), options.log);
    },
  };
}

/** Outputs of a finished phase in task order; task logs forwarded in task order; the first failure thrown. */
export function collectPhase(phase: number, tasks: readonly TaskSpec[], results: readonly Pick<TaskResult, 'output' | 'failure' | 'queries' | 'log'>[], count: (queries: number) => void, log?: (m: string) => void): unknown[] {
  let failed: TaskFailedError | undefined;
  results.forEach((r, i) => {
    count(r.queries);
    for (const line of r.log) log?.(line);
    if (r.failure && !failed) failed = new TaskFailedError(taskId(phase, i), tasks[i].kind, r.failure);
  });
  if (failed) throw failed;
  return results.map((r) => r.output);
}
