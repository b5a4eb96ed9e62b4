/** Training produced a non-finite loss (the learning rate is usually too large). */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  constructor(
    /** The 1-based epoch after which the loss was not finite. */
    readonly epoch: number,
    /** The loss evaluated after that epoch (NaN or +-Infinity). */
    readonly loss: number,
    options?: { cause?: unknown },
  ) {
    super(`training diverged: loss is ${loss} after epoch ${epoch}`, options);
  }
}
