import type { DenseLayer } from '@relurec/network';
import { farTest } from '../layer1/farTest.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import type { Candidate } from './Candidate.js';
import { predictCrossings } from './predictCrossings.js';

export interface RefineOptions {
  /** Boundary points to add. Default 4 x (unknowns + 1). */
  points?: number;
  /** Random segments tried at most. Default 4 x points. */
  maxSegments?: number;
  /** Segments are drawn from N(0, (spread x domain scale)^2 I). Default 1.5. */
  spread?: number;
}

/**
 * Precision (ALGORITHM.md section 6): more exact points on one neuron's boundary, spread over the
 * domain and so over many activation patterns. The solved model predicts where the boundary crosses
 * random segments (no queries); each prediction is located with the 4-query kink test, exact up to
 * rounding. Predictions whose test misses (another kink in the window) are skipped.
 */
export async function collectBoundaryPoints(ctx: RecoveryContext, known: readonly DenseLayer[], cand: Pick<Candidate, 'c' | 'lambda' | 'bias'>, signed: boolean, options: RefineOptions = {}): Promise<Float64Array[]> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  const want = options.points ?? 4 * (cand.c.length + (signed ? 0 : cand.lambda.length) + 1);
  const maxSegments = options.maxSegments ?? 4 * want;
  const spread = (options.spread ?? 1.5) * tol.domainScale;
  const out: Float64Array[] = [];
  for (let s = 0; s < maxSegments && out.length < want; s += 8) {
    const preds = [];
    for (let i = 0; i < 8; i++) {
      const a = rng.gaussianArray(n0).map((v) => v * spread), b = rng.gaussianArray(n0).map((v) => v * spread);
      preds.push(...predictCrossings(known, cand, a, b, 64, signed).slice(0, 1));
    }
    const results = await Promise.all(preds.map((p) => farTest(probe, p.point, p.normal, tol)));
    for (const r of results) if (r.point && out.length < want) out.push(r.point);
  }
  return out;
}
