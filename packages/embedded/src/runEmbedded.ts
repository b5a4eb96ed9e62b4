// The in-process bus alone: the package's root also exports the NATS bus, whose client libraries
// took ~70 ms of an embedded run's start-up to load.
import { InProcessBus } from '@relurec/bus/inprocess';
import { runRecovery, type CoordinatorOptions, type RunOutcome } from '@relurec/coordinator';
import { startMergerService } from '@relurec/merger';
import type { RunRecord } from '@relurec/protocol';
import type { RecoveryOptions } from '@relurec/recovery';
import { createTaskPool, startWorker, type TaskPool } from '@relurec/worker';

export interface EmbeddedOptions {
  /** Threads of the worker pool. Default: the machine's cores. */
  workers?: number;
  /** Tasks each thread runs at once (see TaskPoolOptions). Default 1. */
  tasksPerThread?: number;
  /**
   * The pool to run the tasks on, made by the caller (who closes it) so that its threads load their
   * modules while the caller still prepares the run. Default: a pool of `workers` x
   * `tasksPerThread`, made and closed here.
   */
  pool?: TaskPool;
  /** Node flags of the threads of the pool made here (see TaskPoolOptions.execArgv). Default: the process's. */
  execArgv?: readonly string[];
  /** Keep run state and fragments here so that the run can be resumed (same dir, same runId). Default: memory only. */
  stateDir?: string;
  /** Models the run needs on the bus (a relu-net file's bytes under the record's blob name). */
  blobs?: Readonly<Record<string, Uint8Array>>;
  log?: (message: string) => void;
  progress?: CoordinatorOptions['progress'];
  clock?: () => number;
}

/**
 * Embedded mode (SYSTEM.md): coordinator, merger and one worker with a piscina pool in this
 * process, over the in-process bus. The tasks, fragments and merge order are those of the cluster,
 * so the same seed gives the same network whatever the number of threads.
 */
export async function runEmbedded(record: RunRecord, recovery: Omit<RecoveryOptions, 'seed' | 'log'>, options: EmbeddedOptions = {}): Promise<RunOutcome> {
  // The pool first: bad options throw before there is a bus to close.
  const pool = options.pool ?? createTaskPool({ threads: options.workers, tasksPerThread: options.tasksPerThread, execArgv: options.execArgv });
  const bus = new InProcessBus({ dir: options.stateDir });
  const worker = startWorker({ bus, pool, runId: record.runId, heartbeatMs: 1000, clock: options.clock });
  const merger = startMergerService({ bus, clock: options.clock });
  try {
    for (const [name, bytes] of Object.entries(options.blobs ?? {})) {
      if (!(await bus.getBlob(name))) await bus.putBlob(name, bytes);
    }
    return await runRecovery(record, recovery, { bus, log: options.log, progress: options.progress, clock: options.clock });
  } finally {
    await worker.stop();
    await merger.stop();
    if (!options.pool) await pool.close();
    await bus.close();
  }
}
