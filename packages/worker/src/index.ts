export { startWorker } from './startWorker.js';
export type { RunningWorker, WorkerOptions } from './startWorker.js';
export { createTaskPool } from './io/createTaskPool.js';
export type { TaskPool, TaskPoolOptions } from './io/createTaskPool.js';
export type { ThreadOracle, ThreadTask } from './io/ThreadTask.js';
