import type { Bus, Subscription } from '@relurec/bus';
import { EventLevel, FragmentStage, PROTOCOL_VERSION, RunState, type FragmentMessage, type RunStatus } from '@relurec/protocol';
import { TaskOutputError, validateTaskOutput, type TaskOutputDims } from '@relurec/recovery';

/** What the merger did with one run's raw fragments in its current pass (since it last started on the run). */
export interface MergeStats {
  /** Fragments republished to the merged stage by this pass (failure fragments included). */
  merged: number;
  /** Failure fragments among `merged`: passed through (they carry no output). */
  failures: number;
  /** Accepted fragments found already on the merged stage (an earlier pass or merger): not published again. */
  alreadyMerged: number;
  /** Second and later fragments of a task already accepted (a redelivered task): dropped. */
  duplicates: number;
  /** Fragments that must never be merged: foreign + invalid. Each is announced by a 'message-rejected' event. */
  rejected: number;
  /** Fragments of another run on this run's subject. */
  foreign: number;
  /** Fragments whose output is not what their kind returns (or whose phase is not their task id's). */
  invalid: number;
}

export interface MergerServiceOptions {
  bus: Bus;
  /** One line per run started or stopped and per rejected fragment. Default: none. */
  log?: (message: string) => void;
  /** Milliseconds since the epoch, for events. Default Date.now. */
  clock?: () => number;
  /**
   * Checks a successful fragment's output value for its kind; throws to reject it. Default
   * validateTaskOutput of @relurec/recovery, with the run record's dimensions. For tests and
   * extensions.
   */
  validateOutput?: (kind: string, value: unknown, dims: TaskOutputDims) => void;
  /** Pause before a run's pass starts again after a publication to the merged stage failed, ms. Default 1000. */
  restartDelayMs?: number;
  /**
   * After a fragment is rejected for its output, how long a valid fragment of the same task may
   * still arrive (a tampered copy ahead of the real one), ms; then a failure is merged in its place
   * so that the run stops with the reason instead of waiting for ever. Default 30000.
   */
  invalidGraceMs?: number;
}

export interface MergerService {
  /** Counts of the run's current (or last) pass; undefined for a run this service never merged. */
  stats(runId: string): Readonly<MergeStats> | undefined;
  /** Runs being merged now (their status is 'running'). */
  readonly active: readonly string[];
  /** Stops every run's subscriptions; publications in flight finish first. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The merger service (SYSTEM.md): stands between the workers and the coordinator. For every run
 * whose status is 'running' it reads the run's raw fragments (`relurec.<run>.fragments`) from the
 * first and republishes each accepted one ONCE to the merged stage (`relurec.<run>.merged`), in
 * arrival order; the coordinator reads only that stage. It rejects what must never be merged:
 * foreign fragments (another run's on this run's subject) and outputs that are not what their kind
 * returns (validateTaskOutput: a worker's bogus output never reaches the stitching code); each
 * rejection is counted and announced by a 'message-rejected' event naming the reason. Failure
 * fragments pass through. A second fragment of a task already accepted is dropped as a duplicate.
 *
 * Restart-safe: a pass over a run first replays the merged stage to learn which tasks are merged
 * already, then replays the raw stage, so a restarted merger publishes nothing twice and misses
 * nothing (the bus's duplicate window backs this up). Decisions depend on the raw stage's order
 * alone, so every pass takes the same fragments. Rejections found again on a later pass are counted
 * again; within one service they are announced once. A run's subscriptions stop when its status
 * leaves 'running' and start again (a new pass) if it comes back (a resumed run).
 */
export function startMergerService(options: MergerServiceOptions): MergerService {
  const { bus } = options;
  if (bus === undefined || bus === null) throw new TypeError('startMergerService: options.bus is required');
  const log = options.log ?? (() => {});
  const host: PassHost = {
    bus,
    log,
    clock: options.clock ?? Date.now,
    validateOutput: options.validateOutput ?? validateTaskOutput,
    invalidGraceMs: options.invalidGraceMs ?? 30_000,
    onPublishFailed: (pass, error) => restart(pass, error),
  };
  const restartDelayMs = options.restartDelayMs ?? 1000;
  const passes = new Map<string, RunPass>();
  const lastStats = new Map<string, MergeStats>();
  /** Announced rejections per run, kept across passes: a later pass does not announce them again. */
  const announced = new Map<string, Set<string>>();
  /** Stops in progress: a new pass over a run waits for the old one's publications. */
  const stopping = new Map<string, Promise<void>>();
  /** Runs whose latest status is 'running'. */
  const wanted = new Set<string>();
  /** Restarts waiting for their delay. */
  const pending = new Set<NodeJS.Timeout>();
  let stopped = false;

  const start = (runId: string): void => {
    let seen = announced.get(runId);
    if (seen === undefined) announced.set(runId, (seen = new Set()));
    const pass = new RunPass(host, runId, seen);
    passes.set(runId, pass);
    void (stopping.get(runId) ?? Promise.resolve()).then(() => pass.start());
  };

  const end = (runId: string, why: string): void => {
    const pass = passes.get(runId);
    if (pass === undefined) return;
    passes.delete(runId);
    lastStats.set(runId, pass.stats);
    const done = pass.stop().then(() => {
      const s = pass.stats;
      const line = `merged ${s.merged} (${s.failures} failures), ${s.alreadyMerged} already merged, ${s.duplicates} duplicates dropped, ${s.rejected} rejected (${s.foreign} foreign, ${s.invalid} invalid)`;
      log(`run ${runId}: ${why}; ${line}`);
      // The run's tally for dashboards and audits (a pass abandoned for a retry is not the end).
      if (why.startsWith('status')) {
        void bus.publishEvent({ v: PROTOCOL_VERSION, runId, level: EventLevel.info, kind: 'run-merged', message: `merger: run ${runId} ${why}: ${line}`, at: host.clock() }).catch(() => undefined);
      }
    });
    const tracked: Promise<void> = done.finally(() => {
      if (stopping.get(runId) === tracked) stopping.delete(runId);
    });
    stopping.set(runId, tracked);
  };

  function restart(pass: RunPass, error: Error): void {
    if (stopped || passes.get(pass.runId) !== pass) return;
    log(`run ${pass.runId}: publishing to the merged stage failed (${error.message}); starting the run's pass again in ${restartDelayMs} ms`);
    end(pass.runId, 'pass abandoned');
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!stopped && !passes.has(pass.runId) && wanted.has(pass.runId)) start(pass.runId);
    }, restartDelayMs);
    pending.add(timer);
  }

  const watch: Subscription = bus.watchStatus((status: RunStatus) => {
    if (stopped) return;
    if (status.state === RunState.running) {
      wanted.add(status.runId);
      if (!passes.has(status.runId)) start(status.runId);
    } else {
      wanted.delete(status.runId);
      end(status.runId, `status ${status.state}`);
    }
  });

  return {
    stats(runId) {
      const s = passes.get(runId)?.stats ?? lastStats.get(runId);
      return s === undefined ? undefined : { ...s };
    },
    get active() {
      return [...passes.keys()];
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      await watch.stop();
      for (const runId of [...passes.keys()]) end(runId, 'merger stopped');
      await Promise.all([...stopping.values()]);
    },
  };
}

/** What a pass needs from its service. */
interface PassHost {
  readonly bus: Bus;
  readonly log: (message: string) => void;
  readonly clock: () => number;
  readonly validateOutput: (kind: string, value: unknown, dims: TaskOutputDims) => void;
  readonly invalidGraceMs: number;
  onPublishFailed(pass: RunPass, error: Error): void;
}

/** One pass over one run: learn the merged stage, then take the raw fragments in order. */
class RunPass {
  readonly stats: MergeStats = { merged: 0, failures: 0, alreadyMerged: 0, duplicates: 0, rejected: 0, foreign: 0, invalid: 0 };
  readonly #host: PassHost;
  readonly #announced: Set<string>;
  /** Task ids on the merged stage: learned from it, or published by this pass. */
  readonly #merged = new Set<string>();
  /** Task ids accepted by this pass (the first acceptable fragment of each). */
  readonly #accepted = new Set<string>();
  readonly #subs: Subscription[] = [];
  /** Tasks whose only fragment so far was rejected for its output: the failure merged when the grace ends. */
  readonly #graces = new Map<string, ReturnType<typeof setTimeout>>();
  #dims: TaskOutputDims = {};
  /** Publications to the merged stage, one after the other (the stage keeps the raw order). */
  #chain: Promise<void> = Promise.resolve();
  #failed = false;
  #stopped = false;

  constructor(
    host: PassHost,
    readonly runId: string,
    announced: Set<string>,
  ) {
    this.#host = host;
    this.#announced = announced;
  }

  async start(): Promise<void> {
    if (this.#stopped) return;
    const { bus } = this.#host;
    const record = await bus.getRun(this.runId).catch(() => undefined);
    if (this.#stopped) return;
    if (record === undefined) this.#host.log(`run ${this.runId}: no run record; outputs are checked without the run's dimensions`);
    else this.#dims = { inputDim: record.inputDim, outputDim: record.outputDim };
    this.#subs.push(
      bus.subscribeFragments(
        this.runId,
        (f) => {
          if (f.runId === this.runId) this.#merged.add(f.taskId);
        },
        { stage: FragmentStage.merged, onReplayed: () => this.#readRaw() },
      ),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#graces.values()) clearTimeout(timer);
    this.#graces.clear();
    await Promise.all(this.#subs.map((sub) => sub.stop().catch(() => undefined)));
    await this.#chain;
  }

  #readRaw(): void {
    if (this.#stopped) return;
    this.#host.log(`run ${this.runId}: merging (${this.#merged.size} fragments already merged)`);
    this.#subs.push(this.#host.bus.subscribeFragments(this.runId, (f) => this.#take(f)));
  }

  #take(f: FragmentMessage): void {
    if (this.#stopped) return;
    if (f.runId !== this.runId) {
      this.stats.foreign++;
      this.#reject(f, `fragment of run '${f.runId}' on run '${this.runId}'`);
      return;
    }
    const problem = this.#problem(f);
    if (problem !== undefined) {
      this.stats.invalid++;
      this.#reject(f, problem);
      // The task was acknowledged by the worker that sent this, so nothing else may come: unless a
      // valid fragment arrives within the grace period, merge a failure in its place, so that the
      // run stops with the reason instead of waiting for ever.
      if (!this.#accepted.has(f.taskId) && !this.#merged.has(f.taskId) && !this.#graces.has(f.taskId)) {
        const timer = setTimeout(() => {
          this.#graces.delete(f.taskId);
          if (this.#stopped || this.#accepted.has(f.taskId)) return;
          const { output: _dropped, ...rest } = f;
          void _dropped;
          this.#take({ ...rest, failure: { name: 'TaskOutputError', message: `worker ${f.workerId} returned output that may not be merged: ${problem}`, budget: false } });
        }, this.#host.invalidGraceMs);
        timer.unref?.();
        this.#graces.set(f.taskId, timer);
      }
      return;
    }
    const grace = this.#graces.get(f.taskId);
    if (grace) {
      clearTimeout(grace);
      this.#graces.delete(f.taskId);
    }
    if (this.#accepted.has(f.taskId)) {
      this.stats.duplicates++;
      return;
    }
    this.#accepted.add(f.taskId);
    if (this.#merged.has(f.taskId)) {
      this.stats.alreadyMerged++;
      return;
    }
    this.#merged.add(f.taskId);
    this.stats.merged++;
    if (f.failure !== undefined) this.stats.failures++;
    this.#chain = this.#chain.then(async () => {
      if (this.#stopped || this.#failed) return;
      try {
        await this.#host.bus.publishFragment(f, { stage: FragmentStage.merged });
      } catch (err) {
        if (this.#stopped || this.#failed) return;
        this.#failed = true;
        this.#host.onPublishFailed(this, err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Why a fragment of this run must not be merged; undefined when it may. */
  #problem(f: FragmentMessage): string | undefined {
    // Task ids are 'phase.index': a fragment claiming another phase answers no task of this id.
    const idPhase = Number(f.taskId.slice(0, f.taskId.indexOf('.')));
    if (f.phase !== idPhase) return `phase ${f.phase} is not the phase of task ${f.taskId}`;
    if (f.failure !== undefined) return undefined;
    const output = f.output as { value?: unknown; log?: unknown } | undefined;
    if (typeof output !== 'object' || output === null || Array.isArray(output) || ArrayBuffer.isView(output)) {
      return `output must be an object { value, log } (got ${output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output})`;
    }
    if (!Array.isArray(output.log) || output.log.some((line) => typeof line !== 'string')) return 'output.log must be an array of strings';
    if (!Object.hasOwn(output, 'value')) return 'output.value is missing';
    try {
      this.#host.validateOutput(f.kind, output.value, this.#dims);
    } catch (err) {
      if (err instanceof TaskOutputError) return `${err.message} (field output.value${err.field === '$' ? '' : `.${err.field}`})`;
      return err instanceof Error ? err.message : String(err);
    }
    return undefined;
  }

  #reject(f: FragmentMessage, reason: string): void {
    this.stats.rejected++;
    const message = `merger: fragment ${f.taskId} (${f.kind}, worker ${f.workerId}) of run ${this.runId} rejected: ${reason}`;
    if (this.#announced.has(message)) return;
    this.#announced.add(message);
    this.#host.log(`run ${this.runId}: ${message}`);
    this.#host.bus
      .publishEvent({ v: PROTOCOL_VERSION, runId: this.runId, level: EventLevel.warn, kind: 'message-rejected', message, at: this.#host.clock() })
      .catch(() => undefined);
  }
}
