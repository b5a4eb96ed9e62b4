import { mkdir, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Bus, Subscription } from '@relurec/bus';
import { PROTOCOL_VERSION, WorkerState, type FragmentMessage, type RunRecord, type TaskMessage } from '@relurec/protocol';
import type { TaskPool } from './io/createTaskPool.js';
import type { ThreadOracle } from './io/ThreadTask.js';

export interface WorkerOptions {
  bus: Bus;
  pool: TaskPool;
  /** Default: host:pid:random. */
  workerId?: string;
  /** Serve only this run's tasks (embedded mode). Default: every run. */
  runId?: string;
  /** Milliseconds between heartbeats. Default 1000. */
  heartbeatMs?: number;
  /** Milliseconds a task may stay unacknowledged before another worker gets it. Default 30000. */
  ackWaitMs?: number;
  /** Where models fetched from the bus are written for the threads. Default os.tmpdir()/relurec-models. */
  scratchDir?: string;
  clock?: () => number;
  /**
   * How pool threads connect to the cluster's oracle service (runs whose black box is
   * `{ kind: 'service' }`): the worker's own NATS connection options. Default: such runs fail.
   */
  natsOracle?: Readonly<Record<string, unknown>>;
}

export interface RunningWorker {
  readonly id: string;
  readonly tasksDone: number;
  readonly queries: number;
  stop(): Promise<void>;
}

/**
 * A worker (SYSTEM.md): pulls tasks from the bus, runs them on its thread pool against the run's
 * black box, publishes one fragment per task, and heartbeats. A task is acknowledged only after
 * its fragment is published, so a worker that dies mid-task loses nothing: the task is redelivered.
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const { bus, pool } = options;
  const clock = options.clock ?? Date.now;
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const scratch = options.scratchDir ?? join(tmpdir(), 'relurec-models');
  const runs = new Map<string, Promise<RunRecord>>();
  const models = new Map<string, Promise<string>>();
  const current = new Map<string, { runId: string; taskId: string; kind: string }>();
  let tasksDone = 0, queries = 0, errors = 0, lastQueries = 0;
  let lastBeat = clock(), lastCpu = process.cpuUsage();

  const runRecord = (runId: string) => {
    let r = runs.get(runId);
    if (!r) {
      r = bus.getRun(runId).then((rec) => {
        if (!rec) throw new Error(`run ${runId} has no record on the bus`);
        return rec;
      });
      runs.set(runId, r);
      r.catch(() => runs.delete(runId));
    }
    return r;
  };
  const modelFile = (blob: string) => {
    let p = models.get(blob);
    if (!p) {
      p = (async () => {
        const bytes = await bus.getBlob(blob);
        if (!bytes) throw new Error(`model '${blob}' is not in the object store`);
        await mkdir(scratch, { recursive: true });
        const path = join(scratch, `${blob.replace(/[^\w.-]/g, '_')}.${process.pid}.json`);
        await writeFile(path, bytes);
        return path;
      })();
      models.set(blob, p);
      p.catch(() => models.delete(blob));
    }
    return p;
  };
  const threadOracle = async (rec: RunRecord): Promise<ThreadOracle> => {
    const spec = rec.oracle;
    switch (spec.kind) {
      case 'network': return { kind: 'file', path: await modelFile(spec.blob) };
      case 'http': return { kind: 'http', url: spec.url, headers: spec.headers };
      case 'onnx': return { kind: 'onnx', file: spec.file };
      case 'service':
        if (!options.natsOracle) throw new Error('this worker has no NATS connection for the oracle service (start it with `relurec worker --nats URL`)');
        return { kind: 'nats', connection: options.natsOracle, name: spec.name ?? 'default' };
    }
  };

  const handle = async (task: TaskMessage): Promise<FragmentMessage> => {
    const key = `${task.runId}/${task.taskId}`;
    current.set(key, { runId: task.runId, taskId: task.taskId, kind: task.kind });
    const started = clock();
    try {
      let result;
      try {
        const rec = await runRecord(task.runId);
        result = await pool.run({ kind: task.kind, input: task.input, seed: task.seed, budget: task.budget, oracle: await threadOracle(rec) });
      } catch (e) {
        // The run's record or model is unreadable: a failure fragment (the coordinator stops the run).
        const err = e as Error;
        result = { failure: { name: err.name, message: err.message, budget: false }, queries: 0, log: [] };
      }
      tasksDone++;
      queries += result.queries;
      if (result.failure) errors++;
      const base = { v: PROTOCOL_VERSION, runId: task.runId, taskId: task.taskId, phase: task.phase, kind: task.kind, workerId: id, queries: result.queries, seconds: (clock() - started) / 1000 };
      return result.failure
        ? { ...base, failure: result.failure }
        : { ...base, output: { value: result.output, log: result.log } };
    } finally {
      current.delete(key);
    }
  };

  const serving: Subscription = bus.serveTasks(handle, { concurrency: pool.slots, runId: options.runId, ackWaitMs: options.ackWaitMs });
  const beat = async (state: WorkerState) => {
    const now = clock(), cpu = process.cpuUsage(lastCpu);
    const dt = Math.max(1, now - lastBeat);
    const beatMsg = {
      v: PROTOCOL_VERSION, workerId: id, host: hostname(), pid: process.pid, state, threads: pool.threads,
      current: [...current.values()], tasksDone, queries, queriesPerSecond: ((queries - lastQueries) * 1000) / dt,
      cpu: (cpu.user + cpu.system) / 1000 / dt, rss: process.memoryUsage().rss, errors, at: now, intervalMs: heartbeatMs,
    } as const;
    lastBeat = now; lastCpu = process.cpuUsage(); lastQueries = queries;
    await bus.publishHeartbeat(beatMsg).catch(() => {});
  };
  void beat(WorkerState.idle);
  const timer = setInterval(() => void beat(current.size > 0 ? WorkerState.busy : WorkerState.idle), heartbeatMs);
  timer.unref();
  return {
    id,
    get tasksDone() { return tasksDone; },
    get queries() { return queries; },
    async stop() {
      clearInterval(timer);
      await serving.stop();
      await beat(WorkerState.stopping);
    },
  };
}
