import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { TaskResult } from '@relurec/recovery';
import type { ThreadTask } from './ThreadTask.js';

export interface TaskPoolOptions {
  /** Threads. Default: the machine's cores (os.availableParallelism()). */
  threads?: number;
}

/** A piscina pool of recovery threads. */
export interface TaskPool {
  readonly threads: number;
  run(task: ThreadTask): Promise<TaskResult>;
  /** Ends the threads (waits for running tasks). */
  close(): Promise<void>;
}

export function createTaskPool(options: TaskPoolOptions = {}): TaskPool {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`options.threads must be a positive integer, got ${options.threads}`);
  // Compiled JS only: tsx does not reach into worker threads on Node 20.
  const pool = new Piscina({ filename: new URL('./taskThread.js', import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  return {
    threads,
    run: (task) => pool.run(task) as Promise<TaskResult>,
    close: () => pool.destroy(),
  };
}
