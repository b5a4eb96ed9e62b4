/**
 * Ids seen within the last `windowMs` milliseconds: the in-process twin of JetStream's duplicate
 * window (Nats-Msg-Id), so that both buses drop the same second publications.
 */
export class DedupeWindow {
  readonly #windowMs: number;
  readonly #seen = new Map<string, number>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** True when `id` was recorded within the window; otherwise records it now and returns false. */
  seen(id: string, now = Date.now()): boolean {
    this.#expire(now);
    if (this.#seen.has(id)) return true;
    this.#seen.set(id, now);
    return false;
  }

  #expire(now: number): void {
    // Map iteration is insertion order, so the oldest entries come first.
    for (const [id, at] of this.#seen) {
      if (now - at < this.#windowMs) break;
      this.#seen.delete(id);
    }
  }
}
