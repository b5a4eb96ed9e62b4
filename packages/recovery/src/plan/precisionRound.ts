import type { DenseLayer } from '@relurec/network';
import type { Tolerances } from '../context/RecoveryContext.js';
import { estimateRowPrecision } from '../deeper/estimatePrecision.js';
import type { RefineOptions } from '../deeper/refineNeuron.js';
import { solveCandidate, type CandidateSolution } from '../deeper/solveCandidate.js';
import { TaskKind } from '../tasks/TaskKind.js';
import type { BoundaryPointsInput, BoundaryPointsOutput, TaskEnv } from '../tasks/taskTypes.js';
import type { TaskSpec } from './Dispatch.js';
import { spreadByIndex } from '../internal/spreadByIndex.js';

export interface PrecisionOptions {
  /** Estimated standard error (unit-norm row) above which a neuron gets more points, for a float64 black box (scaled up with a higher noise floor). Default 2^-41. */
  target?: number;
  /** Most points added to one neuron. Default 48. */
  maxPoints?: number;
}

/**
 * Section 6, after a layer's refinement: the neurons whose rows their points do not pin to
 * `target` (estimateRowPrecision: a neuron with a small output weight has noisy exact points,
 * ~1e-12 where others have ~1e-15) get more boundary points, as many as the estimate says they
 * need (the error falls as 1 / sqrt(points)), up to maxPoints, in one phase; each is re-solved
 * with them when the pooled system still closes. Others cost nothing. `run` is the plan's phase
 * runner (undefined when the run stopped). Updates `nrs[z].points`; returns the solutions.
 */
export async function precisionRound(
  run: (phase: string, tasks: TaskSpec[]) => Promise<unknown[] | undefined>,
  k: number, env: TaskEnv, tol: Tolerances, known: DenseLayer[], nrs: { points: Float64Array[] }[], sols: CandidateSolution[], refine: RefineOptions, options: PrecisionOptions = {},
): Promise<CandidateSolution[]> {
  // A noisy black box (float32) cannot reach a float64 target: the target scales with its noise floor.
  const target = (options.target ?? 2 ** -41) * Math.max(1, tol.noise / (2 ** -52 * tol.outputScale));
  const maxPoints = options.maxPoints ?? 48;
  const want = nrs.map((nr) => {
    const { maxStd } = estimateRowPrecision(known, nr.points, true);
    if (!(maxStd > target) || !Number.isFinite(maxStd)) return 0;
    return Math.min(maxPoints, Math.ceil(nr.points.length * ((maxStd / target) ** 2 - 1)));
  });
  const weak = want.map((w, z) => ({ w, z })).filter(({ w }) => w > 0);
  if (weak.length === 0) return sols;
  const inputs = weak.map(({ w, z }): BoundaryPointsInput => ({ env, tol, known, candidate: { c: sols[z].c, lambda: new Float64Array(0), bias: sols[z].bias }, signed: true, options: { ...refine, points: w, centers: spreadByIndex(nrs[z].points, 16) } }));
  const outs = (await run(`layer ${k}: precision`, inputs.map((input) => ({ kind: TaskKind.boundaryPoints, input })))) as BoundaryPointsOutput[] | undefined;
  if (!outs) return sols;
  const next = [...sols];
  weak.forEach(({ z }, i) => {
    const extra = outs[i].points;
    if (extra.length === 0) return;
    const pooled = solveCandidate(known, [...nrs[z].points, ...extra], true);
    if (pooled.closure < 1e-9 && pooled.unseenColumns.length <= sols[z].unseenColumns.length) {
      nrs[z].points = [...nrs[z].points, ...extra];
      next[z] = pooled;
    }
  });
  return next;
}

