import type { Probe } from '@relurec/geometry';
import type { Rng } from '@relurec/random';

/**
 * Tolerances of one run, all derived from the output scale S, the domain scale and the oracle's
 * noise floor sigma (ALGORITHM.md 2.6, 7). For a float64 oracle sigma is rounding (~1e-16 S) and the
 * floors below apply; a float32 black box (most ONNX exports) gets wider ones, the best its noise
 * allows.
 */
export interface Tolerances {
  /** Output scale S: max |r . N(x)| over the first random queries. */
  outputScale: number;
  /** Scale of the input domain (inputs ~ N(0, scale^2 I)). */
  domainScale: number;
  /** Noise floor sigma of the scalarised output (output units), measured at the start. */
  noise: number;
  /** Kink and verification tolerance on output values: max(1e-9 S, 1e3 sigma). */
  value: number;
  /** End-slope step of kink searches (fraction of the interval): 1e-4, or 1e-2 for noisy oracles (slopes are extrapolated over 1/step of their own step). */
  endSlopeStep: number;
  /** A point explains a kink when its distance to a known boundary is below this (input units). */
  explain: number;
  /** Half-width of the window searched around a predicted boundary point (input units). */
  farWindow: number;
  /** A predicted boundary point passes when the kink is this close (input units). */
  farPass: number;
  /** Two planes are one neuron when 1 - |cos| is below this. */
  angle: number;
  /** Exact boundary positions lie on their plane within this (input units). */
  fitResidual: number;
}

/** Relative noise above which an oracle is treated as noisy (float32 and worse). */
const NOISY = 1e-13;

export function makeTolerances(outputScale: number, domainScale: number, noise = 0): Tolerances {
  if (!(outputScale > 0)) throw new RangeError(`output scale must be positive (the black box answered only zeros?), got ${outputScale}`);
  if (!(noise >= 0)) throw new RangeError(`noise must be a non-negative number, got ${noise}`);
  const rel = noise / outputScale;
  const farPass = Math.max(1e-6, 1e3 * rel) * domainScale;
  return {
    outputScale,
    domainScale,
    noise,
    value: Math.max(1e-9 * outputScale, 1e3 * noise),
    endSlopeStep: rel > NOISY ? 1e-2 : 1e-4,
    explain: Math.max(1e-7, 1e3 * rel) * domainScale,
    farWindow: Math.max(1e-3 * domainScale, 100 * farPass),
    farPass,
    angle: Math.max(1e-6, 1e4 * rel),
    fitResidual: Math.max(1e-10, 1e2 * rel) * domainScale,
  };
}

/** What a recovery step needs: the probe (queries), tolerances, a seeded generator and a log. */
export interface RecoveryContext {
  readonly probe: Probe;
  readonly tol: Tolerances;
  readonly rng: Rng;
  readonly log: (message: string) => void;
}
