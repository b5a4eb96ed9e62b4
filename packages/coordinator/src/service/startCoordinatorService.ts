import type { Bus, Subscription } from '@relurec/bus';
import { toDocument } from '@relurec/network';
import { EventLevel, PROTOCOL_VERSION, RunState, type RunStatus } from '@relurec/protocol';
import { runRecovery } from '../runRecovery.js';
import { resultBlobName, type StoredResult } from './runResult.js';

export interface CoordinatorServiceOptions {
  bus: Bus;
  log?: (message: string) => void;
  clock?: () => number;
  /** Milliseconds a task may stay unacknowledged before it is redelivered (the task consumer's ack wait). Default 30000. */
  ackWaitMs?: number;
}

export interface CoordinatorService {
  /** Runs this coordinator is driving now. */
  readonly active: readonly string[];
  /** Stops taking runs; runs in flight keep their state on the bus and resume on the next start. */
  stop(): Promise<void>;
}

/**
 * The coordinator service: takes every run whose status is 'running' (a newly submitted run, or
 * one an earlier coordinator was driving when it died), drives it to the end over the bus, and
 * stores the result as a blob. A restarted coordinator replays each run's fragments, so finished
 * tasks are not run again. One coordinator per cluster.
 */
export function startCoordinatorService(options: CoordinatorServiceOptions): CoordinatorService {
  const { bus } = options;
  const log = options.log ?? (() => {});
  const clock = options.clock ?? Date.now;
  const active = new Map<string, Promise<void>>();
  let stopped = false;
  // Workers may not create the task consumer: prepare it before the first run arrives.
  void bus.prepareTopology({ ackWaitMs: options.ackWaitMs }).catch((e: Error) => log(`preparing streams and the task consumer failed: ${e.message}`));
  const drive = async (status: RunStatus) => {
    const record = await bus.getRun(status.runId);
    if (!record) {
      log(`run ${status.runId}: status without a record, ignored`);
      return;
    }
    log(`run ${record.runId}: ${status.phase === 'submitted' ? 'starting' : 'resuming'} (${record.target})`);
    try {
      const { result } = await runRecovery(record, recoverySettings(record.settings), { bus, clock, log: (m) => log(`run ${record.runId}: ${m}`), topology: { ackWaitMs: options.ackWaitMs } });
      const { network, ...rest } = result;
      const stored: StoredResult = { network: toDocument({ ...network, meta: { ...network.meta, runId: record.runId, queries: result.queries } }), result: rest };
      await bus.putBlob(resultBlobName(record.runId), new TextEncoder().encode(JSON.stringify(stored)));
      // The final status goes after the result blob, so a follower that sees it finds the result.
      const s = await bus.getStatus(record.runId);
      if (s) await bus.putStatus({ ...s, updatedAt: clock() });
      log(`run ${record.runId}: ${result.complete ? 'complete' : 'incomplete'} ${result.architecture.join('-')} (${result.queries} queries)`);
    } catch (e) {
      log(`run ${record.runId}: failed: ${(e as Error).message}`);
      await bus.publishEvent({ v: PROTOCOL_VERSION, runId: record.runId, level: EventLevel.error, kind: 'run-failed', message: (e as Error).message, at: clock() }).catch(() => {});
    }
  };
  const watch: Subscription = bus.watchStatus((status) => {
    if (stopped || status.state !== RunState.running || active.has(status.runId)) return;
    const p = drive(status).finally(() => active.delete(status.runId));
    active.set(status.runId, p);
  });
  return {
    get active() { return [...active.keys()]; },
    async stop() {
      stopped = true;
      await watch.stop();
    },
  };
}

/** The recovery options a run record carries (what `recover` recorded: domain scale, trace wave, plan width). */
export function recoverySettings(settings: Readonly<Record<string, unknown>>): { domainScale: number; traceWave?: number; planWidth?: number } {
  const domainScale = typeof settings.domainScale === 'number' ? settings.domainScale : 1;
  return {
    domainScale,
    ...(typeof settings.traceWave === 'number' ? { traceWave: settings.traceWave } : {}),
    ...(typeof settings.planWidth === 'number' ? { planWidth: settings.planWidth } : {}),
  };
}
