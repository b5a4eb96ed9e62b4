import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { TaskResult } from '@relurec/recovery';
import type { ThreadTask } from './ThreadTask.js';

export interface TaskPoolOptions {
  /** Threads. Default: the machine's cores (os.availableParallelism()). */
  threads?: number;
  /**
   * Tasks each thread runs at once. Default 1. Above 1 their black-box waits overlap: for a
   * latency-bound black box, 2 threads x 4 tasks keep 8 tasks in flight without 8 threads' CPU.
   */
  tasksPerThread?: number;
  /**
   * Node flags of the threads. Default: the process's, as worker_threads gives them. The threads run
   * compiled JS: a host whose flags only load its own TypeScript or test hooks (tsx, tap) passes []
   * and each thread starts without loading them (1.5-1.9 s a run of 6-8-6-1 instead of 3.3-4.9 s).
   */
  execArgv?: readonly string[];
}

/** A piscina pool of recovery threads. */
export interface TaskPool {
  readonly threads: number;
  readonly tasksPerThread: number;
  /** Tasks the pool runs at once (threads x tasksPerThread): what a worker takes from the bus. */
  readonly slots: number;
  run(task: ThreadTask): Promise<TaskResult>;
  /** Ends the threads (waits for running tasks). */
  close(): Promise<void>;
}

export function createTaskPool(options: TaskPoolOptions = {}): TaskPool {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`options.threads must be a positive integer, got ${options.threads}`);
  const tasksPerThread = options.tasksPerThread ?? 1;
  if (!Number.isInteger(tasksPerThread) || tasksPerThread < 1) throw new RangeError(`options.tasksPerThread must be a positive integer, got ${options.tasksPerThread}`);
  // Compiled JS only: tsx does not reach into worker threads on Node 20.
  const pool = new Piscina({ filename: new URL('./taskThread.js', import.meta.url).href, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: tasksPerThread, idleTimeout: 60_000, ...(options.execArgv ? { execArgv: [...options.execArgv] } : {}) });
  return {
    threads,
    tasksPerThread,
    slots: threads * tasksPerThread,
    run: (task) => pool.run(task) as Promise<TaskResult>,
    close: () => pool.destroy(),
  };
}
