import type { ServeTasksOptions } from '../Bus.js';
import { assertRunId } from '@relurec/protocol';
import { checkInteger } from './checkOption.js';

/** serveTasks options checked (errors name the option) with defaults filled in. */
export interface ResolvedServeOptions {
  readonly concurrency: number;
  readonly runId: string | undefined;
  readonly ackWaitMs: number;
}

export function checkServeOptions(options: ServeTasksOptions): ResolvedServeOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('serveTasks options must be an object');
  if (options.concurrency === undefined) throw new RangeError('options.concurrency is required (an integer >= 1)');
  checkInteger(options.concurrency, 'options.concurrency', 1);
  checkInteger(options.ackWaitMs, 'options.ackWaitMs', 100);
  if (options.runId !== undefined) assertRunId(options.runId, 'options.runId');
  return { concurrency: options.concurrency, runId: options.runId, ackWaitMs: options.ackWaitMs ?? 30_000 };
}
