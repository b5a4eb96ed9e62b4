import type { QueryFn } from './QueryFn.js';
import { rowKey } from './rowKey.js';

export interface ProbeOptions {
  inputDim: number;
  outputDim: number;
  /** Scalarisation direction r (unit, length outputDim). Default: 1 for one output, else required. */
  direction?: Float64Array;
  /** Largest rows per oracle call. Default 4096. */
  maxBatch?: number;
}

/**
 * The query side of one task: a per-task cache (the same point is never paid for twice) with
 * in-flight deduplication, and coalescing of concurrent requests into one oracle batch. The count
 * of distinct rows is therefore independent of scheduling.
 */
export class Probe {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly direction: Float64Array;
  private readonly cache = new Map<string, Promise<Float64Array>>();
  private pending: { row: Float64Array; resolve: (y: Float64Array) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private readonly maxBatch: number;
  private spentRows = 0;

  constructor(private readonly query: QueryFn, options: ProbeOptions) {
    this.inputDim = options.inputDim;
    this.outputDim = options.outputDim;
    this.maxBatch = options.maxBatch ?? 4096;
    if (options.direction) {
      if (options.direction.length !== options.outputDim) throw new RangeError('options.direction must have outputDim entries');
      this.direction = options.direction;
    } else if (options.outputDim === 1) {
      this.direction = Float64Array.of(1);
    } else {
      throw new TypeError('options.direction is required when outputDim > 1');
    }
  }

  /** Distinct rows sent to the oracle so far. */
  get spent(): number {
    return this.spentRows;
  }

  /** Output vector at one point (cached). */
  output(x: Float64Array): Promise<Float64Array> {
    const row = Float64Array.from(x);
    const key = rowKey(row);
    let p = this.cache.get(key);
    if (!p) {
      p = new Promise<Float64Array>((resolve, reject) => this.pending.push({ row, resolve, reject }));
      this.cache.set(key, p);
      this.scheduleFlush();
    }
    return p;
  }

  /** Outputs at many points (rows of a row-major array), answered together. */
  async outputs(points: Float64Array[]): Promise<Float64Array[]> {
    return Promise.all(points.map((x) => this.output(x)));
  }

  /** Scalarised output r . N(x). */
  async scalar(x: Float64Array): Promise<number> {
    return this.project(await this.output(x));
  }

  async scalars(points: Float64Array[]): Promise<number[]> {
    return (await this.outputs(points)).map((y) => this.project(y));
  }

  project(y: Float64Array): number {
    let s = 0;
    for (let o = 0; o < this.outputDim; o++) s += this.direction[o] * y[o];
    return s;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: lets every concurrent search queue its rows first.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const n0 = this.inputDim, m = this.outputDim;
      const inputs = new Float64Array(batch.length * n0);
      batch.forEach((p, r) => inputs.set(p.row, r * n0));
      try {
        const out = await this.query(inputs, batch.length);
        this.spentRows += batch.length;
        batch.forEach((p, r) => p.resolve(out.slice(r * m, (r + 1) * m)));
      } catch (e) {
        // Forget failed rows so a retry pays for them again rather than replaying an error.
        for (const p of batch) this.cache.delete(rowKey(p.row));
        batch.forEach((p) => p.reject(e));
      }
    }
  }
}
