import { GradientNotFoundError, jumpNormal, regionJacobian } from '@relurec/geometry';
import type { DenseLayer } from '@relurec/network';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { localState } from '../known/localState.js';
import { candidateValue, type Candidate } from './Candidate.js';
import { hypot } from '@relurec/linalg';

/** How a sampled kink was crossed: the segment's unit direction and the room on each side (input units). */
export interface SeedCrossing {
  direction: Float64Array;
  /** Distance along `direction` to the previous kink (or segment end). */
  before: number;
  /** Distance along `direction` to the next kink (or segment end). */
  after: number;
  /** A second exact point on the seed's boundary, close by (from the layer-1 kink check). */
  beside?: Float64Array;
}

/**
 * The boundary normal of a seed whose normal layer 1 left unmeasured (it was told deeper without
 * one, layer1/checkKink.ts): the Jacobians in the middle of the two pieces beside the kink, as
 * layer 1 measures them, ~2(n0 + 2) queries. Paid only for seeds that are traced. Undefined when a
 * piece is too small for a verified step.
 */
export async function measureSeedNormal(ctx: RecoveryContext, point: Float64Array, crossing: SeedCrossing): Promise<Float64Array | undefined> {
  const { probe, tol } = ctx;
  const u = crossing.direction;
  try {
    const [A, B] = await Promise.all([-crossing.before, crossing.after].map((len) => {
      const half = 0.5 * len;
      return regionJacobian(probe, Float64Array.from(point, (v, i) => v + half * u[i]), { step: Math.min(1e-2 * tol.domainScale, 0.3 * 0.5 * Math.abs(len)), tolerance: tol.value });
    }));
    return jumpNormal(A.jacobian, B.jacobian, probe.outputDim, probe.inputDim, u).normal;
  } catch (e) {
    if (e instanceof GradientNotFoundError || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * seedFits (findDeeperLayer.ts) for a seed without a normal, from positions: where the neuron's
 * never-switching input j has the other state, the true neuron is cand + alpha zeta_j. Its value
 * at the seed fixes alpha; a second exact point on the seed's boundary (`beside`, ~1e-3 away,
 * from the layer-1 kink check) must then lie on it too. A boundary through the seed with another
 * normal misses `beside` by ~1e-4 (its distance times the angle), far above the 1e-8 accepted.
 * False (undecided) with more than one such input or when `beside` is in another pattern.
 */
export function seedFitsByPosition(known: readonly DenseLayer[], nr: Candidate & { fixedColumns: number[]; fixedStates: number[] }, point: Float64Array, beside: Float64Array, domainScale: number): boolean {
  const top = known.length - 1;
  const changedAt = (x: Float64Array) => {
    const st = localState(known, x);
    return { st, changed: nr.fixedColumns.filter((j, i) => (st.zetas[top][j] > 0 ? 1 : 0) !== nr.fixedStates[i]) };
  };
  const a = changedAt(point), b = changedAt(beside);
  if (a.changed.length !== 1 || b.changed.length !== 1 || a.changed[0] !== b.changed[0]) return false;
  const j = a.changed[0];
  const va = candidateValue(known, nr, point), vb = candidateValue(known, nr, beside);
  const gScale = hypot(va.gradient);
  const za = a.st.zetas[top][j], zb = b.st.zetas[top][j];
  if (!(gScale > 0) || !(Math.abs(za) > 0)) return false;
  const alpha = -va.value / za;
  return Math.abs(vb.value + alpha * zb) < 1e-8 * gScale * domainScale;
}
