import { EventLevel, RunState, WorkerState, type Heartbeat, type RunEvent, type RunStatus } from '@relurec/protocol';
import { compareNatural } from '../internal/compareNatural.js';
import { RateWindow } from '../internal/RateWindow.js';
import { RingBuffer } from '../internal/RingBuffer.js';
import { formatDuration } from '../format/formatDuration.js';
import {
  EtaBasis,
  LogSource,
  WorkerStatus,
  type DashboardSnapshot,
  type LogEntry,
  type RunView,
  type WorkerTotals,
  type WorkerView,
} from './DashboardSnapshot.js';

export interface DashboardModelOptions {
  /** Milliseconds since the epoch (heartbeats and statuses carry epoch times). Default Date.now. */
  clock?: () => number;
  /** A worker is lost once this many of its own beats (its intervalMs each) are missed. Default 3. */
  missedBeats?: number;
  /** Lines the event log keeps (the oldest go first). Default 200. */
  logSize?: number;
  /** A lost worker is dropped from the table after this many milliseconds of silence. Default 600000 (10 min). */
  forgetLostMs?: number;
  /** Milliseconds of status updates a run's rates are measured over. Default 30000. */
  rateWindowMs?: number;
}

interface WorkerEntry {
  beat: Heartbeat;
  /** Dashboard clock at the last beat's arrival: worker clocks may be skewed, ours is the one we judge by. */
  seenAt: number;
  lost: boolean;
}

interface RunEntry {
  status: RunStatus;
  /** Dashboard clock at the last status's arrival (the ETA counts down from it). */
  seenAt: number;
  rates: RateWindow;
}

/**
 * The dashboard's state, with no I/O: heartbeats, run statuses and events are folded in as they
 * arrive (O(1) each), and snapshot() computes one frame (one sort of the workers, one of the runs).
 * Worker losses are noticed at snapshot time, against the injected clock.
 */
export class DashboardModel {
  readonly #clock: () => number;
  readonly #missedBeats: number;
  readonly #forgetLostMs: number;
  readonly #rateWindowMs: number;
  readonly #workers = new Map<string, WorkerEntry>();
  readonly #runs = new Map<string, RunEntry>();
  readonly #log: RingBuffer<LogEntry>;
  readonly #eventCounts: Record<string, number> = {};

  constructor(options: DashboardModelOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    if (typeof this.#clock !== 'function') throw new TypeError('options.clock must be a function returning milliseconds since the epoch');
    this.#missedBeats = positiveInteger(options.missedBeats, 3, 'options.missedBeats');
    this.#forgetLostMs = positiveNumber(options.forgetLostMs, 600_000, 'options.forgetLostMs');
    this.#rateWindowMs = positiveNumber(options.rateWindowMs, 30_000, 'options.rateWindowMs');
    this.#log = new RingBuffer(positiveInteger(options.logSize, 200, 'options.logSize'));
  }

  /** Folds in a worker's beat; a worker seen for the first time (or again after it was lost) gets a 'worker-joined' line. */
  applyHeartbeat(beat: Heartbeat): void {
    const now = this.#clock();
    const entry = this.#workers.get(beat.workerId);
    if (entry === undefined) {
      this.#workers.set(beat.workerId, { beat, seenAt: now, lost: false });
      this.#note(now, EventLevel.info, 'worker-joined', `${beat.workerId} joined (${beat.host} pid ${beat.pid}, ${beat.threads} threads)`);
      return;
    }
    // Beats may arrive out of order (redelivery); the newest by the worker's own clock wins.
    if (beat.at < entry.beat.at) return;
    if (entry.lost) {
      this.#note(now, EventLevel.info, 'worker-joined', `${beat.workerId} is back after ${formatDuration(now - entry.seenAt)} of silence (${beat.host} pid ${beat.pid})`);
    }
    entry.beat = beat;
    entry.seenAt = now;
    entry.lost = false;
  }

  /** Folds in a run's status; an older status than the one held (by updatedAt) is ignored. */
  applyStatus(status: RunStatus): void {
    const now = this.#clock();
    let entry = this.#runs.get(status.runId);
    if (entry === undefined) {
      entry = { status, seenAt: now, rates: new RateWindow(this.#rateWindowMs) };
      this.#runs.set(status.runId, entry);
    } else if (status.updatedAt < entry.status.updatedAt) {
      return;
    } else {
      entry.status = status;
      entry.seenAt = now;
    }
    entry.rates.add({ at: status.updatedAt, queries: status.queries, tasksDone: status.tasksDone });
  }

  /** Adds a bus event to the log and counts it by kind. */
  applyEvent(event: RunEvent): void {
    this.#eventCounts[event.kind] = (this.#eventCounts[event.kind] ?? 0) + 1;
    this.#log.push({ at: event.at, level: event.level, kind: event.kind, runId: event.runId, message: event.message, source: LogSource.bus });
  }

  /** One frame as of clock(): marks silent workers lost (logging each once), drops long-lost ones, sorts. */
  snapshot(): DashboardSnapshot {
    const now = this.#clock();
    this.#sweep(now);
    const workers: WorkerView[] = [];
    let idle = 0, busy = 0, stopping = 0, lost = 0, threads = 0, running = 0, queriesPerSecond = 0, errors = 0;
    for (const [id, entry] of this.#workers) {
      const b = entry.beat;
      const state: WorkerStatus = entry.lost ? WorkerStatus.lost : b.state;
      if (state === WorkerStatus.lost) lost++;
      else {
        if (state === WorkerStatus.busy) busy++;
        else if (state === WorkerStatus.stopping) stopping++;
        else idle++;
        threads += b.threads;
        running += b.current.length;
        queriesPerSecond += b.queriesPerSecond;
      }
      errors += b.errors;
      workers.push({
        id,
        host: b.host,
        pid: b.pid,
        state,
        threads: b.threads,
        current: entry.lost ? [] : b.current,
        tasksDone: b.tasksDone,
        queries: b.queries,
        queriesPerSecond: entry.lost ? 0 : b.queriesPerSecond,
        cpu: entry.lost ? 0 : b.cpu,
        rss: b.rss,
        errors: b.errors,
        intervalMs: b.intervalMs,
        lastBeatAgeMs: Math.max(0, now - entry.seenAt),
      });
    }
    workers.sort((a, b) => Number(b.state === WorkerStatus.lost) - Number(a.state === WorkerStatus.lost) || compareNatural(a.id, b.id));
    const totals: WorkerTotals = { workers: workers.length, idle, busy, stopping, lost, threads, running, queriesPerSecond, errors };

    const runs: RunView[] = [];
    for (const entry of this.#runs.values()) runs.push(viewRun(entry, now));
    runs.sort((a, b) => a.startedAt - b.startedAt || compareNatural(a.runId, b.runId));

    return { now, workers, totals, runs, log: this.#log.toArray(), eventCounts: { ...this.#eventCounts } };
  }

  #sweep(now: number): void {
    for (const [id, entry] of this.#workers) {
      const silentMs = now - entry.seenAt;
      const interval = entry.beat.intervalMs > 0 ? entry.beat.intervalMs : 1000;
      if (entry.lost) {
        if (silentMs > this.#forgetLostMs) this.#workers.delete(id);
        continue;
      }
      if (silentMs <= this.#missedBeats * interval) continue;
      if (entry.beat.state === WorkerState.stopping) {
        // It said it was stopping: silence is the expected end, not a loss.
        this.#workers.delete(id);
        this.#note(now, EventLevel.info, 'worker-left', `${id} left (${entry.beat.host} pid ${entry.beat.pid})`);
        continue;
      }
      entry.lost = true;
      const task = entry.beat.current.length > 0 ? `; it was running ${entry.beat.current.map((c) => `${c.runId}/${c.taskId}`).join(', ')}` : '';
      this.#note(
        now,
        EventLevel.warn,
        'worker-lost',
        `${id} lost: no heartbeat for ${(silentMs / 1000).toFixed(1)}s (${this.#missedBeats} beats of ${interval}ms missed)${task}`,
      );
    }
  }

  #note(at: number, level: EventLevel, kind: string, message: string): void {
    this.#log.push({ at, level, kind, runId: '', message, source: LogSource.dashboard });
  }
}

function viewRun(entry: RunEntry, now: number): RunView {
  const s = entry.status;
  let queriesPerSecond: number | null = null;
  let tasksPerSecond: number | null = null;
  const windowed = entry.rates.rates();
  const elapsedS = (s.updatedAt - s.startedAt) / 1000;
  if (s.state === RunState.running && windowed !== null) {
    ({ queriesPerSecond, tasksPerSecond } = windowed);
  } else if (elapsedS > 0) {
    // A single status so far, or a finished run: the average over the whole run.
    queriesPerSecond = s.queries / elapsedS;
    tasksPerSecond = s.tasksDone / elapsedS;
  }

  let etaMs: number | null = null;
  let etaBasis: EtaBasis | null = null;
  if (s.state === RunState.running) {
    let leftS: number | null = null;
    if (s.budget !== null) {
      etaBasis = EtaBasis.budget;
      if (queriesPerSecond !== null && queriesPerSecond > 0) leftS = Math.max(0, s.budget - s.queries) / queriesPerSecond;
    } else {
      etaBasis = EtaBasis.tasks;
      if (tasksPerSecond !== null && tasksPerSecond > 0) leftS = Math.max(0, s.tasksIssued - s.tasksDone) / tasksPerSecond;
    }
    // Count down between updates so a frame per second shows time passing.
    if (leftS !== null) etaMs = Math.max(0, leftS * 1000 - Math.max(0, now - entry.seenAt));
    else etaBasis = null;
  }

  return {
    runId: s.runId,
    target: s.target,
    state: s.state,
    phase: s.phase,
    layer: s.layer,
    neurons: s.neurons,
    queries: s.queries,
    budget: s.budget,
    tasksIssued: s.tasksIssued,
    tasksDone: s.tasksDone,
    queriesPerSecond,
    tasksPerSecond,
    etaMs,
    etaBasis,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    lastUpdateAgeMs: Math.max(0, now - entry.seenAt),
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${String(value)})`);
  return value;
}

function positiveNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number of milliseconds (got ${String(value)})`);
  return value;
}
