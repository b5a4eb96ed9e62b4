import type { Bus, PrepareTopologyOptions } from '@relurec/bus';
import { collectFragments } from '@relurec/merger';
import { EventLevel, PROTOCOL_VERSION, RunState, type RunRecord, type RunStatus } from '@relurec/protocol';
import { recoverWithDispatch, type PlanProgress, type RecoveryOptions, type RecoveryResult } from '@relurec/recovery';
import { createBusDispatch } from './createBusDispatch.js';

export interface CoordinatorOptions {
  bus: Bus;
  clock?: () => number;
  log?: (message: string) => void;
  /** Plan progress (phase, layer, neurons per layer) as it changes. */
  progress?: (p: PlanProgress & { queries: number }) => void;
  /** Task consumer settings the coordinator prepares for the workers (ack wait). */
  topology?: PrepareTopologyOptions;
}

export interface RunOutcome {
  result: RecoveryResult;
  /** Tasks issued, and of those answered by fragments kept from before a restart. */
  tasks: { issued: number; replayed: number };
  fragments: { accepted: number; duplicates: number; stale: number; foreign: number };
}

/**
 * The coordinator (SYSTEM.md): owns one run. Stores its record, then drives the recovery plan
 * phase by phase over the bus, keeping the run's status current for dashboards. Restarted with the
 * same record, it replays the fragments already on the bus and issues only what is missing.
 */
export async function runRecovery(record: RunRecord, recovery: Omit<RecoveryOptions, 'seed' | 'log'>, options: CoordinatorOptions): Promise<RunOutcome> {
  const { bus } = options;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const previous = await bus.getStatus(record.runId);
  if (!(await bus.getRun(record.runId))) await bus.putRun(record);
  const startedAt = previous?.startedAt ?? clock();
  let status: RunStatus = {
    v: PROTOCOL_VERSION, runId: record.runId, target: record.target, state: RunState.running, phase: 'starting', layer: 0,
    neurons: [], queries: 0, budget: record.budget, tasksIssued: 0, tasksDone: 0, startedAt, updatedAt: clock(),
  };
  const event = (kind: string, message: string, level: EventLevel = EventLevel.info) =>
    bus.publishEvent({ v: PROTOCOL_VERSION, runId: record.runId, level, kind, message, at: clock() }).catch(() => {});
  const collector = collectFragments({ bus, runId: record.runId, stage: 'merged', onReject: (reason) => void event('message-rejected', reason, EventLevel.warn) });
  let last = { phase: 'starting', layer: 0, neurons: [] as number[] };
  const dispatch = createBusDispatch({
    bus, record, collector, log,
    progress: (p) => {
      last = { phase: p.phase, layer: p.layer, neurons: [...p.neurons] };
      options.progress?.({ ...p, queries: dispatch.queries });
    },
    onPhase: (name, phase, tasks) => {
      status = { ...status, phase: last.phase === name ? name : `${name}`, layer: last.layer, neurons: last.neurons, queries: dispatch.queries, tasksIssued: dispatch.tasksIssued, tasksDone: dispatch.tasksIssued, updatedAt: clock() };
      void bus.putStatus(status).catch(() => {});
      options.progress?.({ ...last, queries: dispatch.queries });
      if (tasks > 1 || phase % 10 === 0) void event('phase', `phase ${phase} '${name}': ${tasks} tasks`);
    },
  });
  await bus.putStatus(status);
  // Streams and the task consumer belong to the coordinator: workers may only use them.
  await bus.prepareTopology(options.topology ?? {});
  if (previous) void event('run-resumed', `run ${record.runId} resumed from the bus`);
  try {
    const result = await recoverWithDispatch(dispatch, { inputDim: record.inputDim, outputDim: record.outputDim }, { ...recovery, seed: record.seed, log });
    status = { ...status, state: result.complete ? RunState.complete : RunState.incomplete, phase: 'done', neurons: result.architecture.slice(1, -1), queries: result.queries, tasksIssued: dispatch.tasksIssued, tasksDone: dispatch.tasksIssued, updatedAt: clock(), ...(result.complete ? {} : { reason: result.missing.join('; ') }) };
    await bus.putStatus(status);
    const st = collector.stats;
    await event('run-done', `run ${record.runId} ${status.state}: ${result.architecture.join('-')}, ${result.queries} queries; fragments: ${st.accepted} kept, ${st.duplicates} duplicates ignored, ${st.stale} stale and ${st.foreign} foreign rejected; ${dispatch.tasksReplayed} of ${dispatch.tasksIssued} tasks replayed`);
    return { result, tasks: { issued: dispatch.tasksIssued, replayed: dispatch.tasksReplayed }, fragments: { ...collector.stats } };
  } catch (e) {
    status = { ...status, state: RunState.failed, updatedAt: clock(), reason: (e as Error).message };
    await bus.putStatus(status).catch(() => {});
    throw e;
  } finally {
    await collector.stop();
  }
}
