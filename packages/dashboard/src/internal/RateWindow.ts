/** One reading of a run's cumulative counters. */
export interface CounterSample {
  /** Milliseconds (any origin, the same for every sample of a window). */
  readonly at: number;
  readonly queries: number;
  readonly tasksDone: number;
}

/**
 * The recent readings of a run's counters, for rates over a sliding window: a rate reflects the
 * last windowMs of work rather than the whole run, so a run that slowed down does not promise an
 * early end.
 */
export class RateWindow {
  #samples: CounterSample[] = [];

  constructor(readonly windowMs: number) {}

  add(sample: CounterSample): void {
    const last = this.#samples[this.#samples.length - 1];
    // A replayed or reordered status must not make time run backwards.
    if (last !== undefined && sample.at <= last.at) {
      if (sample.at === last.at) this.#samples[this.#samples.length - 1] = sample;
      return;
    }
    this.#samples.push(sample);
    // Keep one sample older than the window so the window is always fully spanned.
    let drop = 0;
    while (drop + 1 < this.#samples.length - 1 && sample.at - this.#samples[drop + 1].at >= this.windowMs) drop++;
    if (drop > 0) this.#samples.splice(0, drop);
  }

  /** Per second over the window; null with fewer than two samples. */
  rates(): { queriesPerSecond: number; tasksPerSecond: number } | null {
    if (this.#samples.length < 2) return null;
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return {
      queriesPerSecond: Math.max(0, (last.queries - first.queries) / seconds),
      tasksPerSecond: Math.max(0, (last.tasksDone - first.tasksDone) / seconds),
    };
  }
}
