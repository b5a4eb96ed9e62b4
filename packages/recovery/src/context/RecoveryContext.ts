import type { Probe } from '@relurec/geometry';
import type { Rng } from '@relurec/random';

/** Tolerances of one run, all derived from the output scale S and the domain scale (ALGORITHM.md 2.6, 7). */
export interface Tolerances {
  /** Output scale S: max |r . N(x)| over the first random queries. */
  outputScale: number;
  /** Scale of the input domain (inputs ~ N(0, scale^2 I)). */
  domainScale: number;
  /** Kink and verification tolerance on output values: 1e-9 S. */
  value: number;
  /** A point explains a kink when its distance to a known boundary is below this (input units). */
  explain: number;
  /** Half-width of the window searched around a predicted boundary point (input units). */
  farWindow: number;
  /** A predicted boundary point passes when the kink is this close (input units). */
  farPass: number;
}

export function makeTolerances(outputScale: number, domainScale: number): Tolerances {
  if (!(outputScale > 0)) throw new RangeError(`output scale must be positive (the black box answered only zeros?), got ${outputScale}`);
  return {
    outputScale,
    domainScale,
    value: 1e-9 * outputScale,
    explain: 1e-7 * domainScale,
    farWindow: 1e-3 * domainScale,
    farPass: 1e-6 * domainScale,
  };
}

/** What a recovery step needs: the probe (queries), tolerances, a seeded generator and a log. */
export interface RecoveryContext {
  readonly probe: Probe;
  readonly tol: Tolerances;
  readonly rng: Rng;
  readonly log: (message: string) => void;
}
