import { hostname } from 'node:os';
import { checkInteger, checkString } from './checkOption.js';

/** How both buses treat tasks whose handler throws; resolved from the options with their defaults. */
export interface TaskPolicy {
  readonly maxDeliver: number;
  readonly retryDelayMs: number;
  readonly duplicateWindowMs: number;
  readonly workerId: string;
}

/** Longest delay between two attempts of a task, ms. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** Options shared by every bus (the defaults are documented on each implementation's options). */
export interface TaskPolicyOptions {
  readonly maxDeliver?: number;
  readonly retryDelayMs?: number;
  readonly duplicateWindowMs?: number;
  readonly workerId?: string;
}

/** Checks the shared options (errors name the option) and fills in the defaults. */
export function resolveTaskPolicy(options: TaskPolicyOptions): TaskPolicy {
  checkInteger(options.maxDeliver, 'options.maxDeliver', 1);
  checkInteger(options.retryDelayMs, 'options.retryDelayMs', 0);
  checkInteger(options.duplicateWindowMs, 'options.duplicateWindowMs', 1);
  checkString(options.workerId, 'options.workerId');
  return {
    maxDeliver: options.maxDeliver ?? 5,
    retryDelayMs: options.retryDelayMs ?? 1000,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    workerId: options.workerId ?? `${hostname()}:${process.pid}`,
  };
}

/** Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed: doubling, capped at 30 s. */
export function retryDelay(policy: TaskPolicy, attempt: number): number {
  return Math.min(policy.retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}
