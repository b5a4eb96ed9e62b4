import type { OracleBatchPart } from '../../messages/OracleMessages.js';

/** The outcome of charging a request: accepted, or refused with the counts for the error. */
export type Charge = { readonly ok: true } | { readonly ok: false; readonly used: number; readonly requested: number };

/**
 * Counts rows against a hard budget. A plain request is charged its rows. The first part of a split
 * batch is charged the whole rest of the batch (`batch.rows`) and the remainder is kept as a
 * reservation that later parts draw on, so a batch that would cross the budget is refused whole.
 * A part that finds no reservation big enough (its replica changed, or it is a retry of a part already
 * answered) is charged afresh: the count may run high on retries, never low.
 */
export class BudgetLedger {
  #used = 0;
  #lastSweep: number;
  readonly #reservations = new Map<string, { left: number; at: number }>();

  constructor(
    /** Hard limit in rows; Infinity for count only. */
    readonly budget: number,
    /** Milliseconds after which an unfinished reservation (its client gone) is forgotten; its rows stay counted. */
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.#lastSweep = clock();
  }

  /** Rows charged so far. Never exceeds the budget. */
  get used(): number {
    return this.#used;
  }

  charge(rows: number, batch?: OracleBatchPart): Charge {
    const now = this.clock();
    this.#sweep(now);
    if (batch !== undefined) {
      const reservation = this.#reservations.get(batch.id);
      if (reservation !== undefined) {
        this.#reservations.delete(batch.id);
        if (reservation.left >= rows) {
          const left = reservation.left - rows;
          if (left > 0) this.#reservations.set(batch.id, { left, at: now });
          return { ok: true };
        }
      }
    }
    const need = batch?.rows ?? rows;
    if (this.#used + need > this.budget) return { ok: false, used: this.#used, requested: need };
    this.#used += need;
    if (batch !== undefined && need > rows) this.#reservations.set(batch.id, { left: need - rows, at: now });
    return { ok: true };
  }

  #sweep(now: number): void {
    if (this.#reservations.size === 0 || now - this.#lastSweep < this.ttlMs / 10) return;
    this.#lastSweep = now;
    for (const [id, r] of this.#reservations) {
      if (now - r.at > this.ttlMs) this.#reservations.delete(id);
    }
  }
}
