import { createRng } from '@relurec/random';
import { denseLayer, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { makeTolerances, type Tolerances } from '../context/RecoveryContext.js';
import { discoverFirstLayer, type FirstLayerOptions } from './discoverFirstLayer.js';
import { firstLayerSigns, flipsResidual } from '../signs/firstLayerSigns.js';
import { fitOutputLayer, outputLayerResidual } from '../output/fitOutputLayer.js';
import { fitAffine } from '../output/fitAffine.js';
import { NOT_MEASURED, oneHiddenLayerFromPlanes, type RefineWideReport } from '../layer1/refineWideNormals.js';
import type { Hyperplane } from '../layer1/Hyperplane.js';
import { agreesWith, createLayerSearch, type DeeperLayerOptions, type DeeperLayerResult, type LayerNeuron, type Seed, type TraceOutcome } from '../deeper/findDeeperLayer.js';
import { fromNeuronData, toNeuronData } from '../tasks/runTask.js';
import { solveLayerSigns, type LayerSigns, type UnsignedRow } from '../deeper/solveLayerSigns.js';
import { SignsUndeterminedError } from '../signs/solveFlips.js';
import { lastLayerSigns } from '../deeper/lastLayerSigns.js';
import { solveCandidate } from '../deeper/solveCandidate.js';
import { completeKnownRow, unitRowLike, type RowCompletion } from '../deeper/completeKnownRow.js';
import { weightsFromLayerAbove } from '../deeper/weightsFromLayerAbove.js';
import { solveWithoutStrays } from '../deeper/solveWithoutStrays.js';
import { planUnseenWeightJumps, weightsFromJumps } from '../known/unseenWeightJumps.js';
import { fillUnseenWeights, type WeakDirection } from '../deeper/fillUnseenWeights.js';
import { cleanSignedPoints } from '../deeper/cleanSignedPoints.js';
import { sameModuloUnseen } from '../deeper/sameModuloUnseen.js';
import { cachedLocalState, localState, localValues, nearestKnownBoundary, type LocalState } from '../known/localState.js';
import { hypot } from '@relurec/linalg';
import { jumpNormal } from '@relurec/geometry';
import type { Rng } from '@relurec/random';
import { inactiveBelow } from '../deeper/Candidate.js';
import { rayProbePoints } from '../known/rayProbePoints.js';
import { unseenWeightProbes } from '../known/unseenWeightProbes.js';
import { lowestPoints } from '../known/lowestPoints.js';
import { dominantPoints } from '../known/dominantPoints.js';
import { jointActivePoint } from '../known/jointActivePoint.js';
import { deepestJointInput, loadMilpSolver, pieceCentre } from '@relurec/milp';
import { missingActiveRow } from '../deeper/missingActiveRow.js';
import { oneOutputActiveCandidates } from '../deeper/oneOutputActiveCandidates.js';
import { barelySeenWeight } from '../deeper/barelySeenWeight.js';
import { polishFromOutputs } from '../whole/polishFromOutputs.js';
import { missingActiveInStack } from '../deeper/missingActiveInStack.js';
import { unsignedFitMisfit } from '../deeper/unsignedFitMisfit.js';
import { unseenWeightFromKinks } from '../deeper/unseenWeightFromKinks.js';
import { predictCrossingsForWeights } from '../deeper/predictCrossings.js';
import { compareOnPoints } from '../output/compareOnPoints.js';
import { freshCheckPoints } from '../output/checkOnFreshInputs.js';
import { spreadByIndex } from '../internal/spreadByIndex.js';
import { withoutPartAlong } from '../internal/withoutPartAlong.js';
import { judgePatternChangeTests, patternChangeTests } from '../deeper/patternChangeTests.js';
import { unseenWeightsFromOutputs } from '../deeper/unseenWeightsFromOutputs.js';
import type { RefineOptions } from '../deeper/refineNeuron.js';
import { TaskKind } from '../tasks/TaskKind.js';
import { precisionRound } from './precisionRound.js';
import { seedClusters } from './seedClusters.js';
import type * as T from '../tasks/taskTypes.js';
import { TaskFailedError, type Dispatch, type TaskFailure } from './Dispatch.js';

export interface RecoveryOptions {
  /** Run seed: every random choice derives from it. */
  seed: number;
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
  /**
   * Diagnostics: every layer-k sign stack that does not close, as it stands before the search for a
   * missing layer-(k-1) neuron (layers 1..k-1 as recovered, the last one unsigned, and the unsigned
   * layer-k rows), e.g. to keep one as a test fixture (bench/depth-diagnosis.mjs --stacks). Default: none.
   */
  onOpenStack?: (k: number, layers: readonly DenseLayer[], rows: readonly UnsignedRow[]) => void;
  firstLayer?: FirstLayerOptions;
  /** Layers k >= 2: tracing, membership, attempts. */
  deeper?: DeeperLayerOptions;
  /** Refinement points per neuron of layers k >= 2 (section 6). */
  refine?: RefineOptions;
  /** Rounds of the rare-neuron search when the output fit misses samples (section 7). Default 3. */
  rareRounds?: number;
  /** Largest parameter count for the joint polish of every layer from outputs (memory 2 P^2, time P^3 / 3); 0 turns it off. Default 3000. */
  polishMaxParams?: number;
  /** Scales (x the domain scale) of the chords that complete a layer before the next (section 7). Default [3, 10]; [] turns it off. */
  farScales?: number[];
  /** Chords per far scale. Default 2. */
  farChords?: number;
  /** Far seeds traced per layer at most. Default 4 x the width of the layer below. */
  farSeeds?: number;
  /** Hidden layers recovered at most. Default 4. */
  maxHiddenLayers?: number;
  /**
   * Traces run at once (layers k >= 2): a window of overlapping trace phases. 1 is the
   * one-at-a-time search; more, and a neuron traced while another of its seeds is claimed is traced
   * twice. At layer 2 seeds that are surely kinks of one neuron are clustered and wait while one of
   * them is traced (plan/seedClusters.ts), and the window is 3 times as wide. Part of the result:
   * fixed per run, never taken from the worker count. Default: planWidth.
   */
  traceWave?: number;
  /**
   * Tasks per phase the plan aims at, for a latency-bound black box on many workers: layer-1
   * segments handled together (firstLayer.segmentBatch), seeds per trace window (traceWave), the
   * rare-neuron search as phases of kink searches and traces instead of one task, and traces that
   * check predicted planes in one round trip (deeper.trace.eagerChecks). Part of the result: fixed
   * per run, never taken from the worker count. Default 1 (fewest queries).
   */
  planWidth?: number;
}

export interface LayerReport {
  layer: number;
  width: number;
  /** How this layer's rows were fixed ('points' = fitted from exact boundary positions). */
  fit: string;
  signs?: { method: string; margin: number; residual: number; free: number };
}

export interface RecoveryResult {
  /** The best network from what was learned (complete or not). */
  network: ReluNetwork;
  complete: boolean;
  /** Logical queries: distinct rows of every completed task (each task has its own cache). */
  queries: number;
  architecture: number[];
  layers: LayerReport[];
  warnings: string[];
  /** What is missing when incomplete. */
  missing: string[];
  /** Why querying stopped early (a task that failed for good: budget, black box), when it did. */
  stopped?: TaskFailure;
}

/**
 * Recovers a ReLU network from queries (ALGORITHM.md): the coordinator's plan. Every step that
 * spends queries is a phase of tasks given to `dispatch`; everything else (stitching, solving,
 * deciding the next phase) happens here, on the fragments in task order. All randomness comes
 * from the seed, so the same seed and black box give the same network whoever runs the tasks.
 * @throws TaskFailedError when the first phase (the survey) fails: nothing was learned then
 */
export async function recoverWithDispatch(dispatch: Dispatch, dims: { inputDim: number; outputDim: number }, options: RecoveryOptions): Promise<RecoveryResult> {
  const rng = createRng(options.seed);
  const log = options.log ?? (() => {});
  const { inputDim: n0, outputDim: m } = dims;
  const direction = m === 1 ? Float64Array.of(1) : rng.fork('scalarise').unitVector(m);
  const env: T.TaskEnv = { inputDim: n0, outputDim: m, direction };
  const domainScale = options.domainScale ?? 1;
  const warnings: string[] = [];
  const missing: string[] = [];
  const progress = (phase: string, layer: number, neurons: number[]) => dispatch.progress?.({ phase, layer, neurons });
  const planWidth = options.planWidth ?? 1;
  if (!Number.isInteger(planWidth) || planWidth < 1) throw new RangeError(`options.planWidth must be a positive integer, got ${options.planWidth}`);

  // Output scale and noise floor from a few random inputs (kept as samples).
  progress('survey', 0, []);
  const [survey] = (await dispatch.run('survey', [{ kind: TaskKind.survey, input: { env, domainScale, samples: 8 } satisfies T.SurveyInput }])) as T.SurveyOutput[];
  const first = survey.xs;
  const project = (y: Float64Array) => y.reduce((s, v, o) => s + v * direction[o], 0);
  const outputScale = Math.max(...survey.ys.map((y) => Math.abs(project(y))));
  const noise = survey.noise;
  const tol = makeTolerances(outputScale, domainScale, noise);
  if (noise > 1e-13 * outputScale) {
    warnings.push(`the black box is noisy (noise floor ${(noise / outputScale).toExponential(1)} of the output scale, e.g. float32): tolerances are widened and precision is limited by it`);
  }
  const l1 = await discoverFirstLayer({ dispatch, env, tol, rng: rng.fork('layer1'), log }, { segmentBatch: planWidth, ...options.firstLayer });
  if (l1.stoppedBy) {
    warnings.push(`layer 1 sampling stopped early: ${(l1.stoppedBy as Error).message}`);
    missing.push('layer 1 may be incomplete (sampling stopped early)');
  }
  if (l1.unresolved > 0) warnings.push(`${l1.unresolved} kink-search intervals were given up`);
  const planes = l1.planes;
  // Wide inputs keep measured normals (~1e-8 off for weak neurons); they are re-measured where only
  // one neuron is active (section 6). With deeper layers its guards refuse after k + 1 queries.
  let wide: RefineWideReport | undefined;
  if (planes.some((p) => p.fit === 'normal') && !l1.stoppedBy) {
    try {
      const r = await refineFirstLayer(dispatch, env, tol, planes);
      if (r.ok) {
        planes.splice(0, planes.length, ...r.planes);
        wide = r.report;
      } else warnings.push(`layer 1 not refined: ${r.reason}`);
    } catch (e) {
      if (!(e instanceof TaskFailedError)) throw e;
      warnings.push(`layer 1 not refined: ${e.message}`);
    }
  }
  const layers: LayerReport[] = [];
  if (planes.length === 0) {
    // No boundary seen: the model is affine. Complete only if sampling ran its course and the
    // affine fit explains every sample; otherwise the best stand-in, marked incomplete.
    const xs = [...first, ...l1.samples];
    const affine = fitAffine(xs, [...survey.ys, ...l1.sampleOutputs]);
    if (!l1.stoppedBy && affine.relativeResidual > 1e-9) missing.push('kinks were seen but no layer-1 neuron was confirmed');
    if (l1.stoppedBy) missing.push('every hidden layer: the run stopped before a ReLU boundary was found');
    else warnings.push('no ReLU boundary crosses the domain: the black box is affine there');
    return {
      network: { name: 'recovered', meta: {}, layers: [affine.layer] },
      complete: missing.length === 0,
      queries: dispatch.queries,
      architecture: [n0, m],
      layers,
      warnings,
      missing,
      ...(l1.stoppedBy instanceof TaskFailedError ? { stopped: l1.stoppedBy.failure } : {}),
    };
  }
  const W = new Float64Array(planes.length * n0), b = new Float64Array(planes.length);
  planes.forEach((p, j) => {
    W.set(p.normal, j * n0);
    b[j] = p.offset;
  });
  const report: LayerReport = { layer: 1, width: planes.length, fit: planes.every((p) => p.fit === 'points') ? 'points' : 'normal' };
  layers.push(report);
  let unexplainedLeft = 0;
  // prior: the weight holds a value from the output fit (to be refined), not 0.
  const unseenPairs: { layer: number; neuron: number; input: number; prior?: boolean }[] = [];
  let lastLayerPoints: Float64Array[][] = [];
  // Per layer and neuron, inputs where it is known to be active (a neuron found late: where the model
  // missed the black box), starts for the segments to its unseen outgoing weights.
  const activeAt = new Map<number, Map<number, Float64Array[]>>();
  // Weights a neuron's own boundary never showed, taken from a sign stack's row (~1e-10): refined
  // from the exact points of the layer above once that layer is known (refineStackFilled).
  const stackFilled: { layer: number; neuron: number; inputs: number[] }[] = [];
  const missedBoundaries: { layer: number; points: Float64Array[] }[] = [];
  const hidden: DenseLayer[] = [denseLayer(n0, planes.length, W, b)];
  // A task that fails for good (budget, black box down) stops the querying; what was learned is kept.
  let stopped: TaskFailedError | undefined;
  const guard = async <R>(p: Promise<R>): Promise<R | undefined> => {
    try {
      return await p;
    } catch (e) {
      if (!(e instanceof TaskFailedError)) throw e;
      stopped ??= e;
      log(`the run stopped early: ${e.message}`);
      return undefined;
    }
  };
  if (l1.stoppedBy instanceof TaskFailedError) stopped = l1.stoppedBy;
  const samplePoints = [...first, ...l1.samples];
  const sampleOutputs = [...survey.ys, ...l1.sampleOutputs];
  const maxDepth = options.maxHiddenLayers ?? 4;
  let seeds: Seed[] = l1.unexplained;
  /**
   * Layer-k neurons with the signs of layer k-1 fixed, refined with exact points across the domain
   * (section 6): one boundary-points task per neuron, all in one phase. `firstIndex` numbers them.
   */
  const signedSolveAll = async (k: number, nrs: { points: Float64Array[] }[], firstIndex = 0) => {
    const signedLayers = hidden.slice(0, k - 1);
    const sols = nrs.map((nr) => {
      const sol = solveCandidate(signedLayers, nr.points, true);
      if (sol.closure < 1e-9 || k < 3) return sol;
      // Signs fixed, a trace's points must close without the lambda block; where they do not, some
      // of them lie on another boundary that lambda's extra freedom absorbed (a 10-20-20-20-1 layer-3
      // trace closed at 7e-16 unsigned and 7e-4 signed). The points that close are the neuron's.
      const clean = cleanSignedPoints(signedLayers, nr.points);
      if (!clean) return sol;
      warnings.push(`layer ${k}: ${clean.dropped.length} of ${nr.points.length} points of a neuron lie off its boundary once the signs of layer ${k - 1} are fixed (closure ${sol.closure.toExponential(1)}): left out`);
      nr.points = nr.points.filter((_, i) => !clean.dropped.includes(i));
      return clean.solution;
    });
    const inputs = sols.map((sol): T.BoundaryPointsInput => ({ env, tol, known: signedLayers, candidate: { c: sol.c, lambda: new Float64Array(0), bias: sol.bias }, signed: true, options: options.refine ?? {} }));
    const extras = stopped ? undefined : (await guard(dispatch.run(`layer ${k}: refinement`, inputs.map((input) => ({ kind: TaskKind.boundaryPoints, input }))))) as T.BoundaryPointsOutput[] | undefined;
    if (!extras) return sols;
    const refined = sols.map((sol, z) => {
      const nr = nrs[z], extra = extras[z].points;
      if (extra.length === 0) return sol;
      const pooled = solveCandidate(signedLayers, [...nr.points, ...extra], true);
      if (pooled.closure < 1e-9 && pooled.unseenColumns.length <= sol.unseenColumns.length) {
        nr.points = [...nr.points, ...extra];
        return pooled;
      }
      warnings.push(`layer ${k} neuron ${firstIndex + z + 1}: refinement points did not close with its trace (closure ${pooled.closure.toExponential(1)}); kept the trace solution`);
      return sol;
    });
    return precisionRound((phase, tasks) => (stopped ? Promise.resolve(undefined) : guard(dispatch.run(phase, tasks))), k, env, tol, signedLayers, nrs, refined, options.refine ?? {});
  };
  /**
   * Layer k's search (section 4) as a window of parallel trace tasks: seeds are claimed in order
   * (owned by an accepted neuron, given up, or traced), up to `traceWave` traces run at once, and
   * their outcomes are applied in task order; a seed is claimed only once the outcome of every
   * trace issued `traceWave` or more before it is applied, so claims never depend on timing. Then
   * one extension task per neuron with inputs never seen switching (wide plans: done by the trace
   * task that accepted it, TraceSeedInput.extend). Undefined when the run stopped.
   * (With one trace at a time this is the sequential search of section 4.)
   */
  // A wide plan is for a latency-bound black box: traces check predicted planes in one round trip,
  // and membership tests ask four kink tests at once.
  const deeperOptions: DeeperLayerOptions = planWidth > 1 ? { ...options.deeper, trace: { eagerChecks: true, ...options.deeper?.trace }, membership: { batch: 4, ...options.deeper?.membership } } : options.deeper ?? {};
  const traceLayer = async (phase: string, known: DenseLayer[], seedsIn: Seed[], deeper: DeeperLayerOptions = deeperOptions, accepted: LayerNeuron[] = []) => {
    const given = options.traceWave ?? planWidth;
    if (!Number.isInteger(given) || given < 1) throw new RangeError(`options.traceWave must be a positive integer, got ${options.traceWave}`);
    // A seed that is almost surely a kink of a neuron being traced waits for that trace (then it is
    // usually owned): seeds in clusters of one neuron (layer 2; scheduling only). There the clusters,
    // not the window, keep a neuron from being traced twice, and a wider window keeps every worker
    // busy while the oldest trace runs on (10-20-20-1 rk 1 at width 8: its 23 clusters at once).
    const cluster = given > 1 ? seedClusters(known, seedsIn) : [];
    const wave = given > 1 && known.length === 1 ? CLUSTERED_WAVE * given : given;
    const search = createLayerSearch(known, domainScale, n0, deeper, log);
    const clusterOf = new Map(cluster.map((c, i) => [seedsIn[i], c]));
    const sameNeuron = (a: Seed, b: Seed) => {
      const c = clusterOf.get(a);
      return c !== undefined && c === clusterOf.get(b);
    };
    type Outcome = { out: TraceOutcome } | { error: unknown };
    const inFlight: { seed: Seed; outcome: Promise<Outcome> }[] = [];
    // Neurons whose extension is done (by their trace task, or before: `accepted`): not extended again.
    const extended = new Set<LayerNeuron>(accepted);
    search.neurons.push(...accepted);
    const pending = [...seedsIn];
    let failure: { error: unknown } | undefined;
    const extPhase = `layer ${known.length + 1}: extensions`;
    const extTask = (nr: LayerNeuron, z: number) => ({ kind: TaskKind.extendNeuron, input: { env, tol, known, neuron: toNeuronData(nr), index: z, options: deeper } satisfies T.ExtendNeuronInput });
    for (;;) {
      while (!failure && inFlight.length < wave && pending.length > 0 && search.traces < search.maxTraces) {
        // The first seed, in order, of no cluster being traced is taken next.
        const at = pending.findIndex((sd) => !inFlight.some((f) => sameNeuron(f.seed, sd)));
        if (at < 0) break;
        const [seed] = pending.splice(at, 1);
        const claim = search.claim(seed);
        if (claim.kind !== 'trace') continue;
        const input: T.TraceSeedInput = { env, tol, known, seed, retry: claim.retry, traceNumber: search.traces, accepted: search.neurons.map(toNeuronData), options: search.traceOptions(), ...(wave > 1 ? { extend: true } : {}) };
        const outcome: Promise<Outcome> = dispatch.run(phase, [{ kind: TaskKind.traceSeed, input }], { inFlight: inFlight.length, window: wave })
          .then((o): Outcome => {
            const r = o[0] as T.TraceSeedOutput;
            const out = (r.kind === 'neuron' ? { ...r, neuron: fromNeuronData(r.neuron) } : r) as TraceOutcome;
            // Still queued behind an older trace: apply's pooled solves against the neurons as they
            // stand are done now, while the coordinator waits (most of the last traces' applies
            // otherwise ran back to back after the longest trace, on the critical path).
            if (inFlight.some((f) => f.outcome === outcome)) search.prepare(out);
            return { out };
          }).catch((error: unknown): Outcome => ({ error }));
        inFlight.push({ seed, outcome });
      }
      const first = inFlight.shift();
      if (!first) break;
      const r = await first.outcome;
      // After a failure the traces in flight are waited for, not applied.
      if ('error' in r) failure ??= r;
      else if (!failure) {
        const outcome = r.out;
        // Wide plans: the trace task extended its neuron itself (TraceSeedInput.extend).
        if (outcome.kind === 'neuron' && wave > 1) extended.add(outcome.neuron);
        search.apply(first.seed, outcome);
      }
    }
    if (failure) {
      // A task that failed for good stops the run (guard); anything else is a fault: thrown.
      await guard(Promise.reject(failure.error));
      return undefined;
    }
    search.settle();
    const open = search.neurons.map((nr, z) => ({ nr, z })).filter(({ nr }) => nr.fixedColumns.length > 0 && !extended.has(nr));
    if (open.length > 0) {
      const ext = (await guard(dispatch.run(extPhase, open.map(({ nr, z }) => extTask(nr, z))))) as T.ExtendNeuronOutput[] | undefined;
      if (!ext) return undefined;
      open.forEach(({ z }, j) => (search.neurons[z] = fromNeuronData(ext[j])));
    }
    return search.result(seedsIn);
  };
  const outputsAt = async (phase: string, points: Float64Array[]): Promise<Float64Array[] | undefined> => {
    if (points.length === 0 || stopped) return undefined;
    const res = (await guard(dispatch.run(phase, [{ kind: TaskKind.outputs, input: { env, points } satisfies T.OutputsInput }]))) as T.OutputsOutput[] | undefined;
    return res?.[0].ys;
  };
  const withOutputs = async (phase: string, points: Float64Array[]) => {
    const ys = await outputsAt(phase, points);
    if (!ys) return;
    samplePoints.push(...points);
    sampleOutputs.push(...ys);
  };
  /**
   * Section 7 as phases (deeper/findUnexplainedKinks.ts, one task there): kinks on segments through
   * every centre together, round after round until `enough` seeds; kinks no known layer explains
   * get a normal from the Jacobians on both sides (two piece tasks, as measureNormal). Undefined
   * when the run stopped.
   */
  const findRareSeeds = async (centers: Float64Array[], r: Rng, segmentsPerCenter = 4, enough = 2): Promise<Seed[] | undefined> => {
    const found: Seed[] = [];
    for (let s = 0; s < segmentsPerCenter && found.length < enough; s++) {
      const segs = centers.map((c): T.SegmentKinksInput => {
        const dir = r.gaussianArray(n0).map((v, i) => v * domainScale - c[i]);
        return { env, tol, origin: c.map((v, i) => v - dir[i]), direction: dir.map((v) => 2 * v) };
      });
      const kinks = (await guard(dispatch.run(`layer ${L}: rare-neuron kinks`, segs.map((input) => ({ kind: TaskKind.segmentKinks, input }))))) as T.SegmentKinksOutput[] | undefined;
      if (!kinks) return undefined;
      const open = kinks.flatMap((o, i) => o.kinks.filter((k) => !hidden.some((_, l) => explainedByLayer(hidden, l, k.point, domainScale))).map((k) => {
        const len = hypot(segs[i].direction), u = segs[i].direction.map((v) => v / len);
        const tau = Math.min(1e-2 * domainScale, 0.3 * nearestKnownBoundary(localState(hidden, k.point)).distance);
        return { point: k.point, u, sides: [-tau, tau].map((t): T.PieceJacobianInput => ({ env, tol, point: k.point.map((v, d) => v + t * u[d]), step: 0.3 * tau })) };
      }));
      if (open.length === 0) continue;
      const jac = (await guard(dispatch.run(`layer ${L}: rare-neuron normals`, open.flatMap((o) => o.sides.map((input) => ({ kind: TaskKind.pieceJacobian, input })))))) as T.PieceJacobianOutput[] | undefined;
      if (!jac) return undefined;
      open.forEach((o, i) => {
        const A = jac[2 * i], B = jac[2 * i + 1];
        if (A.ok && B.ok && found.length < enough) found.push({ point: o.point, normal: jumpNormal(A.jacobian, B.jacobian, m, n0, o.u).normal });
      });
    }
    log(`layer ${L}: rare-neuron search: ${found.length} unexplained kinks`);
    return found;
  };
  /**
   * Section 7, completeness of a layer before the next: neurons whose boundaries lie far out (active
   * on almost no input of the domain, or on almost all) show on chords between points at larger
   * scales (`scales` x the domain scale, `perScale` chords each). Kinks there that no known layer
   * explains, with normals from the Jacobians on both sides (as findRareSeeds), at most `most`.
   * Undefined when the run stopped.
   */
  const findFarSeeds = async (phase: string, r: Rng, scales: readonly number[], perScale: number, most: number): Promise<Seed[] | undefined> => {
    const segs: T.SegmentKinksInput[] = [];
    for (const sc of scales) {
      for (let i = 0; i < perScale; i++) {
        const a = r.gaussianArray(n0).map((v) => v * sc * domainScale), b = r.gaussianArray(n0).map((v) => v * sc * domainScale);
        segs.push({ env, tol, origin: a, direction: b.map((v, d) => v - a[d]) });
      }
    }
    const found = await seedsOnSegments(`${phase}: far`, segs, most);
    if (found) log(`${phase}: far search: ${found.length} unexplained kinks on ${segs.length} chords`);
    return found;
  };
  /**
   * Kinks on the given segments that no known layer explains, with normals from the Jacobians on
   * both sides (as findRareSeeds), at most `most`; with `nearest`, only the one nearest that point
   * of each segment. Undefined when the run stopped.
   */
  const seedsOnSegments = async (phase: string, segs: T.SegmentKinksInput[], most: number, nearest?: Float64Array[], given?: T.SegmentKinksOutput[]): Promise<Seed[] | undefined> => {
    if (segs.length === 0 || most <= 0) return [];
    const kinks = given ?? ((await guard(dispatch.run(`${phase} kinks`, segs.map((input) => ({ kind: TaskKind.segmentKinks, input }))))) as T.SegmentKinksOutput[] | undefined);
    if (!kinks) return undefined;
    const open = kinks.flatMap((o, i) => {
      let ks = o.kinks.filter((k) => !hidden.some((_, l) => explainedByLayer(hidden, l, k.point, domainScale)));
      if (nearest && ks.length > 1) {
        const dist = (k: (typeof ks)[number]) => hypot(k.point.map((v, d) => v - nearest[i][d]));
        ks = [ks.reduce((a, b) => (dist(b) < dist(a) ? b : a))];
      }
      return ks.map((k) => {
        const len = hypot(segs[i].direction), u = segs[i].direction.map((v) => v / len);
        const tau = Math.min(1e-2 * domainScale, 0.3 * nearestKnownBoundary(localState(hidden, k.point)).distance);
        return { point: k.point, u, tau };
      });
    }).filter((o) => o.tau > 1e-9 * domainScale).slice(0, most);
    if (open.length === 0) return [];
    const jac = (await guard(dispatch.run(`${phase} normals`, open.flatMap((o) => [-o.tau, o.tau].map((t) => ({ kind: TaskKind.pieceJacobian, input: { env, tol, point: o.point.map((v, d) => v + t * o.u[d]), step: 0.3 * o.tau } satisfies T.PieceJacobianInput })))))) as T.PieceJacobianOutput[] | undefined;
    if (!jac) return undefined;
    const found: Seed[] = [];
    open.forEach((o, i) => {
      const A = jac[2 * i], B = jac[2 * i + 1];
      if (A.ok && B.ok) found.push({ point: o.point, normal: jumpNormal(A.jacobian, B.jacobian, m, n0, o.u).normal });
    });
    return found;
  };
  /**
   * Segments where weights of layer-j neurons that their boundaries never showed act (section 4,
   * 'weights the boundary cannot show'; issue: a 10-20-20-20-1 layer 3 had 11 of 20 rows with
   * such weights, from layer-2 neurons active almost only outside the domain, and walks along the
   * predicted boundaries crept into corners before reaching them). For each unseen (z, i): from the
   * two points of z nearest i's boundary, a jump straight across it (0.3 domain scales past), back
   * onto z's predicted boundary, and a segment along its normal there: z's true boundary is near
   * (off by c_zi h_i), and its kink nearest that point is a seed whose trace sees i switch.
   */
  type UnseenPair = (typeof unseenPairs)[number];
  /**
   * Crossings of neuron u.neuron's boundary as predicted with the unseen weight guessed (0, +-0.3,
   * +-1 at unit rows), where u.input is active, on chords at 1-30 domain scales and beside the
   * neuron's own points: for each guess the `most` where u.input is most active, as starts for
   * unseenSegments (x, i's pre-activation there, |grad| of i). A strong weight keeps the true
   * boundary out of the region where its input acts except where the rest of the row is well above
   * 0 (10-15-15-15-15-1 rk 2: weight -1 of the largest, no crossing of the row without it there).
   */
  const predictedWhereActive = (j: number, u: UnseenPair, most: number): { x: Float64Array; target: number; gn: number }[] => {
    const below = hidden.slice(0, j - 1), upto = hidden.slice(0, j), top = hidden[j - 1], n = top.inDim;
    const guesses = [0, -0.3, 0.3, -1, 1];
    const row = { c: top.weights.subarray(u.neuron * n, (u.neuron + 1) * n), bias: top.biases[u.neuron] };
    // One set of chords for every guess: the known layers' pass at a grid point serves all five.
    const r = rng.fork('unseen-weight chords', j, u.neuron, u.input);
    const found = guesses.map((): { x: Float64Array; target: number; gn: number }[] => []);
    const crossings = (a: Float64Array, b: Float64Array) => {
      predictCrossingsForWeights(below, row, u.input, guesses, a, b, 64).forEach((list, q) => {
        for (const { point } of list) {
          // candidateValue just made this state for the crossing's normal: remembered, not made again.
          const st = cachedLocalState(below, point), hi = st.zetas[j - 2][u.input];
          if (hi > 0) found[q].push({ x: point, target: hi, gn: hypot(st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0)) });
        }
      });
    };
    for (const scale of [1, 3, 10, 30]) {
      for (let c = 0; c < UNSEEN_CHORDS; c++) crossings(r.gaussianArray(n0).map((v) => v * scale * domainScale), r.gaussianArray(n0).map((v) => v * scale * domainScale));
    }
    // A neuron active on ~1 % of inputs far out crosses few chords: its predicted boundary is also
    // looked for around its own points, a step along the boundary away and across it there
    // (10-15-15-15-15-1 rk 2: none of 800 chords met it where the input acts).
    const own = lastLayerPoints[u.neuron] ?? [];
    for (const p of spreadByIndex(own, UNSEEN_CHORDS / 5)) {
      const g = cachedLocalState(upto, p).grads[j - 1].subarray(u.neuron * n0, (u.neuron + 1) * n0), gg = g.reduce((a, v) => a + v * v, 0);
      if (!(gg > 0)) continue;
      for (const step of [0.3, 1, 3]) {
        // A random direction along the boundary (normal part removed), `step` domain scales long.
        const d = r.gaussianArray(n0), dg = d.reduce((a, v, i) => a + v * g[i], 0) / gg;
        const t = d.map((v, i) => v - dg * g[i]), tn = hypot(t);
        if (!(tn > 0)) continue;
        const m = p.map((v, i) => v + (step * domainScale * t[i]) / tn), R = step * domainScale / Math.sqrt(gg);
        crossings(m.map((v, i) => v - R * g[i]), m.map((v, i) => v + R * g[i]));
      }
    }
    return found.flatMap((list) => list.sort((p, q) => q.target / q.gn - p.target / p.gn).slice(0, most));
  };
  const unseenSegments = (j: number, past: readonly number[], which: (u: UnseenPair) => boolean = () => true, middle = false): { segs: T.SegmentKinksInput[]; near: Float64Array[]; pairs: UnseenPair[] } => {
    const below = hidden.slice(0, j - 1), upto = hidden.slice(0, j);
    const segs: T.SegmentKinksInput[] = [], near: Float64Array[] = [], pairs: UnseenPair[] = [];
    // Which of layer j's neurons are narrow (on at under 1 % of the domain's inputs, as their rows
    // stand): only for them the starts deep inside (jointActivePoint) are worth their segments.
    // Layer j's pre-activations on the sample, one pass for every neuron asked about.
    let zetas: Float64Array[] | undefined;
    let jointStarts = 0;
    const narrow = (z: number) => {
      if (!zetas) {
        const rd = rng.fork('narrow neurons', j);
        zetas = Array.from({ length: NARROW_SAMPLES }, () => localValues(upto, rd.gaussianArray(n0).map((v) => v * domainScale)).zetas[j - 1]);
      }
      return zetas.filter((zj) => zj[z] > 0).length < 0.01 * zetas.length;
    };
    for (const u of unseenPairs.filter((p) => p.layer === j && which(p))) {
      const pts = lastLayerPoints[u.neuron] ?? [];
      const byDistance = pts.map((p) => {
        const st = localState(below, p);
        const g = st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0), gn = hypot(g), zeta = st.zetas[j - 2][u.input];
        return { p, g, gn, zeta, d: gn > 0 ? Math.abs(zeta) / gn : Infinity };
      }).filter((o) => Number.isFinite(o.d)).sort((a, b) => a.d - b.d).slice(0, 2);
      const starts: { x: Float64Array; target: number; gn: number; placed?: boolean; short?: boolean }[] = byDistance.flatMap((o) => past.map((far) => {
        const step = (o.d + far * domainScale) * -Math.sign(o.zeta || -1) / o.gn;
        return { x: o.p.map((v, d) => v + step * o.g[d]), target: far * domainScale * o.gn, gn: o.gn };
      }));
      // Inputs where i is known to act (a neuron found where the model missed the black box, active
      // only far out: jumps from z's points seldom reach it), those nearest z's predicted boundary.
      const zAt = (x: Float64Array) => {
        const st = localState(upto, x), g = st.grads[j - 1].subarray(u.neuron * n0, (u.neuron + 1) * n0);
        return Math.abs(st.zetas[j - 1][u.neuron]) / (hypot(g) || 1e-300);
      };
      const actives = (activeAt.get(j - 1)?.get(u.input) ?? []).map((x) => ({ x, d: zAt(x) })).sort((a, b) => a.d - b.d).slice(0, 2);
      for (const { x } of actives) {
        const st = localState(below, x), g = st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0);
        if (st.zetas[j - 2][u.input] > 0) starts.push({ x: Float64Array.from(x), target: st.zetas[j - 2][u.input], gn: hypot(g) });
      }
      // Points of z's boundary as predicted with c_zi guessed, where i is most active (query-free):
      // the walk from z's own points often ends short of them, off both boundaries
      // (10-15-15-15-15-1 rk 1: a weight active on 2-14 % of its neuron's boundary, never reached).
      for (const c of predictedWhereActive(j, u, 1)) starts.push({ ...c, placed: true });
      // Deep inside both z (as its row stands) and i, z's other unseen inputs off: for a neuron on a
      // narrow cone the only place its unseen weights act (jointActivePoint; 10-20-20-20-1 rk 2
      // paid 4k queries for such starts at neurons on at a share of the domain, and lost 1.8 bits).
      // Only before a deeper layer is searched, as weightsFromKinks' weight after weight.
      const others = unseenPairs.filter((p) => p.layer === j && p.neuron === u.neuron && p.input !== u.input).map((p) => p.input);
      const joint = middle && narrow(u.neuron) ? jointActivePoint(upto, u.neuron, u.input, others, [...spreadByIndex(pts, 4), ...actives.map((a) => a.x)], 3 * Math.sqrt(n0) * domainScale) : undefined;
      if (joint) {
        jointStarts++;
        const st = localState(below, joint.point);
        // i held only a little on: z's true boundary is then near its predicted one (off by c_zi h_i),
        // still inside the sliver (a weight -0.25 from i at full depth put it outside z's cone; at
        // depth 4 only the lowest level showed it). Several levels: kinks at one level of h_i give
        // any neuron one value (unseenWeightFromKinks).
        const gn = hypot(st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0));
        for (const level of [0.03, 0.1, 0.25, 0.5]) starts.push({ x: joint.point, target: level * st.zetas[j - 2][u.input], gn, short: true });
      }
      for (const o of starts) {
        let x = o.x;
        // i active by its target (o.far domain scales' worth of its gradient past its boundary), on
        // z's predicted boundary: joint min-norm Newton steps on both (piecewise linear: a step that
        // crosses other boundaries changes both gradients, so a single projection left i inactive
        // far out, |x| ~ 7).
        const target = o.target;
        const misfit = (y: Float64Array) => {
          const st = localState(upto, y);
          return { st, ri: target - st.zetas[j - 2][u.input], rz: -st.zetas[j - 1][u.neuron] };
        };
        let cur = misfit(x);
        for (let it = 0; it < 12 && !o.placed; it++) {
          const { st, ri, rz } = cur;
          if (Math.abs(rz) <= 1e-12 * domainScale * o.gn && st.zetas[j - 2][u.input] > 0.5 * target) break;
          const gi = st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0), gz = st.grads[j - 1].subarray(u.neuron * n0, (u.neuron + 1) * n0);
          const aa = gi.reduce((a, v) => a + v * v, 0), ab = gi.reduce((a, v, d) => a + v * gz[d], 0), bb = gz.reduce((a, v) => a + v * v, 0);
          const det = aa * bb - ab * ab;
          if (!(det > 1e-12 * aa * bb)) break;
          const p = (bb * ri - ab * rz) / det, q = (aa * rz - ab * ri) / det;
          // Halved while the step leaves both further off (it crossed into pieces that disagree).
          let moved = false;
          for (let h = 1; h > 1e-3 && !moved; h /= 2) {
            const y = x.map((xv, d) => xv + h * (p * gi[d] + q * gz[d])), next = misfit(y);
            if (next.ri ** 2 + next.rz ** 2 < ri ** 2 + rz ** 2) {
              x = y;
              cur = next;
              moved = true;
            }
          }
          if (!moved) break;
        }
        const st = localState(upto, x), hi = st.zetas[j - 2][u.input];
        if (!(hi > 0)) continue;
        // Across z's predicted boundary with h_i held (z's gradient less its part along i's): z's true
        // boundary, off the predicted one by c_zi h_i / |grad|, |c_zi| <= 1 (unit rows), is crossed
        // where i is still active. Along z's gradient itself h_i often reached 0 first, where the
        // crossing shows nothing of c_zi (10-15-15-15-15-1 rk 1: all four crossings of a weight).
        const gz = st.grads[j - 1].subarray(u.neuron * n0, (u.neuron + 1) * n0);
        const gi = st.grads[j - 2].subarray(u.input * n0, (u.input + 1) * n0);
        let dir = withoutPartAlong(gz, gi), gn = hypot(dir);
        if (!(gn > 0.1 * hypot(gz))) [dir, gn] = [Float64Array.from(gz), hypot(gz)];
        if (!(gn > 0)) continue;
        // Short where the start is inside z's narrow cone (jointActivePoint): a long segment there
        // crosses hundreds of deeper boundaries, and z's true one is within 1.5 h_i / |grad| anyway.
        const R = (o.short ? 0 : domainScale) + (1.5 * hi) / gn;
        segs.push({ env, tol, origin: x.map((v, d) => v - (R * dir[d]) / gn), direction: dir.map((v) => (2 * R * v) / gn) });
        near.push(x);
        pairs.push(u);
      }
    }
    if (jointStarts > 0) log(`layer ${j}: ${jointStarts} unseen weights of narrow neurons get segments from deep inside them`);
    return { segs, near, pairs };
  };
  /**
   * Layer j (>= 2, signs of layers < j fixed, its own not yet) completed from far seeds before layer
   * j+1 starts: the seeds traced as layer-j candidates; new neurons are appended to layer j (deduped
   * against its rows). Returns the far seeds no known layer explains afterwards (seeds of deeper
   * layers), or undefined when the run stopped.
   */
  const completeFromFar = async (j: number): Promise<Seed[] | undefined> => {
    const far = await findFarSeeds(`layer ${j}`, rng.fork(`far ${j}`), options.farScales ?? [3, 10], options.farChords ?? 2, options.farSeeds ?? 4 * hidden[j - 2].outDim);
    if (!far || far.length === 0) return far;
    if (!(await completeFromSeeds(j, far, 'far'))) return undefined;
    return far.filter((sd) => !hidden.some((_, l) => explainedByLayer(hidden, l, sd.point, domainScale)));
  };
  const pointsOfLayer = (k: number) => (k === hidden.length ? lastLayerPoints : pointsOf.get(k));
  /** A last-layer weight as filled (known to ~1e-6 of its size): the interval unseenWeightProbes keeps every state for. */
  const knownWithin = (layer: DenseLayer, u: UnseenPair) => {
    const w = layer.weights[u.neuron * layer.inDim + u.input], d = 1e-6 * Math.max(1, Math.abs(w));
    return { lo: w - d, hi: w + d };
  };
  /**
   * Section 6, the rows of layer k re-solved from their own boundary points over the layers below
   * as they are now (those below refined since), without stray points (solveWithoutStrays). Only rows
   * whose weights all come from their points: the new row must stay within 1e-6 of the old one (a
   * weight filled from elsewhere would fall back to 0). Returns how many rows changed and how many
   * lost stray points.
   */
  const resolveFromPoints = (k: number): { rows: number; trimmed: number } => {
    const pts = pointsOfLayer(k), layer = hidden[k - 1], n = layer.inDim, below = hidden.slice(0, k - 1);
    const done = { rows: 0, trimmed: 0 };
    if (!pts || pts.length !== layer.outDim) return done;
    const W = Float64Array.from(layer.weights), B = Float64Array.from(layer.biases);
    for (let y = 0; y < layer.outDim; y++) {
      if (unseenPairs.some((u) => u.layer === k && u.neuron === y) || stackFilled.some((f) => f.layer === k && f.neuron === y)) continue;
      const { solution: sol, strays } = solveWithoutStrays(below, pts[y]);
      if (strays.length > 0) {
        pts[y] = pts[y].filter((_, i) => !strays.includes(i));
        done.trimmed++;
      }
      if (!(sol.closure < 1e-9 && sol.pinning > 1e-6)) continue;
      const old = layer.weights.subarray(y * n, (y + 1) * n), unit = unitRowLike(sol.c, sol.bias, old);
      if (!unit) continue;
      let diff = Math.abs(unit.bias - layer.biases[y]);
      for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(unit.row[i] - old[i]));
      if (!(diff < 1e-6)) continue;
      W.set(unit.row, y * n);
      B[y] = unit.bias;
      done.rows++;
    }
    hidden[k - 1] = denseLayer(n, layer.outDim, W, B);
    return done;
  };
  /**
   * Stack-filled weights (stackFilled) corrected from the points of the layer above
   * (weightsFromLayerAbove; trained 10-20-20-20-2: a layer-2 neuron's four stack weights left it
   * 2.4e-10 off and every layer above it ~1e-10). The layers above are re-solved after (polishRows).
   */
  const refineStackFilled = () => {
    for (const f of stackFilled) {
      const j = f.layer;
      if (j >= hidden.length) continue;
      const above = pointsOfLayer(j + 1);
      if (!above || above.length !== hidden[j].outDim) continue;
      const est = weightsFromLayerAbove(hidden.slice(0, j), f.neuron, f.inputs, above);
      const largest = est ? Math.max(...Array.from(est.delta, Math.abs)) : Infinity;
      if (!est || !(largest < 1e-6) || est.worst > 10) {
        log(`layer ${j}: neuron ${f.neuron + 1}'s stack weights not refined from layer ${j + 1} (${est ? `correction ${largest.toExponential(1)}, rows disagree by ${est.worst.toFixed(1)} of their error` : 'no row sees them'})`);
        continue;
      }
      const layer = hidden[j - 1], m = layer.inDim, row = Float64Array.from(layer.weights.subarray(f.neuron * m, (f.neuron + 1) * m));
      f.inputs.forEach((i, t) => (row[i] += est.delta[t]));
      const unit = unitRowLike(row, layer.biases[f.neuron], row);
      if (!unit) continue;
      const W = Float64Array.from(layer.weights), B = Float64Array.from(layer.biases);
      W.set(unit.row, f.neuron * m);
      B[f.neuron] = unit.bias;
      hidden[j - 1] = denseLayer(m, layer.outDim, W, B);
      log(`layer ${j}: neuron ${f.neuron + 1}'s ${f.inputs.length} stack weights refined from ${est.rows} layer-${j + 1} rows (largest correction ${largest.toExponential(1)})`);
    }
  };
  /** Every layer from 2 up re-solved from its points (resolveFromPoints), in order: each on the refined ones below. */
  const polishRows = () => {
    for (let k = 2; k <= hidden.length; k++) {
      const { rows, trimmed } = resolveFromPoints(k);
      log(`layer ${k}: ${rows} rows re-solved from their points over the layers below as they are now${trimmed > 0 ? `, ${trimmed} of them without stray points` : ''}`);
    }
  };
  /**
   * Section 4's last resort made exact: the unseen weights of the last layer L (signs known), as the
   * fill from function values left them, corrected from the output's slope jump across each input's
   * boundary where the neuron is on (unseenWeightJumps; four queries a line, up to six lines a
   * weight), at query-free probes and samples where both are on, those nearest the input's boundary
   * for their distance from the neuron's first. Only a fill that fits the samples (to 1e-9), within
   * 1e-4 of it, kept when the model fits them no worse (a neuron still missing also bends the
   * slopes; 10-15-15-15-15-1 carlini 3, rows 0.3-0.7 off, gave six lines that agree on nothing).
   * Returns the weights it corrected.
   */
  const correctFromSlopes = async (L: number, pairs: UnseenPair[]): Promise<UnseenPair[]> => {
    const top = hidden[L - 1], n = top.inDim;
    const { layer: output, relativeResidual: fitBefore } = fitOutputLayer(hidden, samplePoints, sampleOutputs);
    if (!(fitBefore <= 1e-9)) return [];
    const on = samplePoints.map((x) => localValues(hidden, x));
    const distance = (st: LocalState, l: number, k: number) => Math.abs(st.zetas[l][k]) / (hypot(st.grads[l].subarray(k * n0, (k + 1) * n0)) || 1e-300);
    // The probes matter: a neuron found late may be on with the input nowhere among the samples
    // (10-20-20-20-1 carlini 1: on for 61 of 20000 inputs at 3 domain scales, never with it).
    const probes = unseenWeightProbes(hidden, pairs, lastLayerPoints, { domainScale, perPair: 12, intervals: pairs.map((u) => knownWithin(top, u)) });
    const near = pairs.map((u, i) => [...probes[i].points, ...samplePoints.filter((_, r) => on[r].zetas[L - 1][u.neuron] > 0 && on[r].activations[L - 2][u.input] > 0)]
      .map((x) => { const st = localState(hidden, x); return { x, ratio: distance(st, L - 2, u.input) / distance(st, L - 1, u.neuron) }; })
      .sort((a, b) => a.ratio - b.ratio).slice(0, 24).map((c) => c.x));
    const plans = planUnseenWeightJumps(hidden, output, pairs, near, domainScale).filter((p, k, all) => all.slice(0, k).filter((q) => q.pair === p.pair).length < 6);
    // Not among the cached samples: placed where the weights act, they would weigh in the output
    // fit where a neuron still missing acts too (6-10-10-10-1 rk 1: fidelity 1e-13 -> 6e-7).
    const lineOutputs = await outputsAt(`layer ${L}: output slopes across the boundaries of unseen weights' inputs`, plans.flatMap((p) => p.points));
    if (!lineOutputs || plans.length === 0) {
      log(`layer ${L}: no line across the inputs' boundaries with the neurons on for ${pairs.length} unseen weights (${near.map((x) => x.length).join(', ')} starts)`);
      return [];
    }
    const found = weightsFromJumps(output, plans, plans.map((_, k) => lineOutputs.slice(4 * k, 4 * k + 4)));
    const W = Float64Array.from(top.weights), applied: string[] = [], done: UnseenPair[] = [];
    for (const [u, est] of found) {
      const at = u.neuron * n + u.input, unit = Math.max(1, Math.abs(W[at]));
      // Two lines or more that agree to 1e-8, and a correction the fill's own accuracy allows.
      if (est.plans < 2 || !(Math.abs(est.delta) < 1e-4 * unit) || !(est.spread < 1e-8 * unit)) continue;
      W[at] += est.delta;
      done.push(u);
      applied.push(`neuron ${u.neuron + 1} <- ${u.input + 1}: ${est.delta.toExponential(1)} (${est.plans} lines)`);
    }
    // No worse: within 10 %, or under 1e-12, the samples' floor where the weight barely acts.
    const corrected = denseLayer(n, top.outDim, W, top.biases);
    const fitAfter = applied.length > 0 ? fitOutputLayer([...hidden.slice(0, L - 1), corrected], samplePoints, sampleOutputs).relativeResidual : fitBefore;
    const keep = applied.length > 0 && fitAfter <= Math.max(1.1 * fitBefore, 1e-12);
    if (keep) hidden[L - 1] = corrected;
    log(`layer ${L}: ${keep ? applied.length : 0} of ${pairs.length} unseen weights corrected from output slopes across their inputs' boundaries (${plans.length} lines${applied.length > 0 && !keep ? `; not kept: output fit ${fitBefore.toExponential(1)} -> ${fitAfter.toExponential(1)}` : ''})${keep ? `: ${applied.join(', ')}` : ''}`);
    return keep ? done : [];
  };
  /**
   * Layer j's unseen weights (unseenSegments; those `which` picks): seeds traced and merged as
   * completeFromFar's. `middle`: layer j is completed before a deeper layer is searched (its narrow
   * neurons get starts deep inside, and the kinks may show several weights of a neuron in turn); not
   * the last layer's rounds after the far search and the rare-neuron search. False when the run stopped.
   */
  const completeUnseen = async (j: number, which: (u: UnseenPair) => boolean = () => true, middle = false): Promise<boolean> => {
    // Rounds while weights become seen: a completed row has new points nearer the others' boundaries.
    for (let round = 0; round < 3; round++) {
      const pairs = unseenPairs.filter((p) => p.layer === j && which(p)).length;
      if (pairs === 0) return true;
      const { segs, near, pairs: segPairs } = unseenSegments(j, round === 0 ? [0.3] : [0.3, 1], which, middle);
      if (segs.length === 0) return true;
      const kinks = (await guard(dispatch.run(`layer ${j}: unseen-weight kinks`, segs.map((input) => ({ kind: TaskKind.segmentKinks, input }))))) as T.SegmentKinksOutput[] | undefined;
      if (!kinks) return false;
      const shown = weightsFromKinks(j, kinks, which, middle);
      // The rest as before: the kink nearest each predicted crossing, traced.
      const rest = segs.map((_, i) => i).filter((i) => unseenPairs.includes(segPairs[i]));
      const seeds = await seedsOnSegments(`layer ${j}: unseen-weight`, rest.map((i) => segs[i]), rest.length, rest.map((i) => near[i]), rest.map((i) => kinks[i]));
      if (!seeds) return false;
      log(`layer ${j}: ${shown} unseen weights shown by the kinks' values; ${seeds.length} unexplained kinks on ${rest.length} segments where ${unseenPairs.filter((p) => p.layer === j && which(p)).length} unseen weights act`);
      if (seeds.length === 0 && shown === 0) return true;
      if (seeds.length > 0 && !(await completeFromSeeds(j, seeds, 'unseen-weight', false))) return false;
      const left = unseenPairs.filter((p) => p.layer === j && which(p)).length;
      log(`layer ${j}: ${left} of ${pairs} weights still unseen`);
      if (left >= pairs) return true;
    }
    return true;
  };
  /**
   * The pooled row leaves the columns its points never show at 0; weights with a prior there (the
   * output fit's row for a neuron found through it) or taken from the layer-above stack keep it,
   * scaled as the row's shown part moved (10-20-20-20-1 rk 2: two exact prior weights had been
   * zeroed by the kinks of a third; 10-15-15-15-15-1 rk 1, other chords: the kinks of one weight
   * zeroed the stack's weight of another, a layer-3 row 0.31 off).
   */
  const keepPriors = (j: number, z: number, old: DenseLayer, done: RowCompletion): DenseLayer => {
    const fromStack = stackFilled.filter((f) => f.layer === j && f.neuron === z).flatMap((f) => f.inputs);
    const kept = [...new Set([
      ...unseenPairs.filter((u) => u.layer === j && u.neuron === z && u.prior).map((u) => u.input),
      ...fromStack,
    ])].filter((i) => done.unseenColumns.includes(i));
    if (kept.length === 0) return done.layer;
    const n = old.inDim, W = Float64Array.from(done.layer.weights), B = Float64Array.from(done.layer.biases);
    let d = 0, o2 = 0;
    for (let i = 0; i < n; i++) {
      if (done.unseenColumns.includes(i)) continue;
      d += W[z * n + i] * old.weights[z * n + i];
      o2 += old.weights[z * n + i] ** 2;
    }
    if (!(o2 > 0)) return done.layer;
    for (const i of kept) W[z * n + i] = (d / o2) * old.weights[z * n + i];
    const stackKept = kept.filter((i) => fromStack.includes(i));
    if (stackKept.length > 0) log(`layer ${j}: neuron ${z + 1}'s ${stackKept.length} weights from the layer-${j + 1} stack kept through its pooled solve (no point of it shows them)`);
    const s = hypot(W.subarray(z * n, (z + 1) * n));
    for (let i = 0; i < n; i++) W[z * n + i] /= s;
    B[z] /= s;
    return denseLayer(n, old.outDim, W, B);
  };
  /**
   * A row of layer j completed by points pooled with its own (completeKnownRow): the pooled row
   * replaces it, the points join its own, and the weights it now shows are no longer unseen.
   * Returns how many became seen.
   */
  const applyCompletion = (j: number, done: RowCompletion, points: Float64Array[]): number => {
    const z = done.owner, before = unseenPairs.length;
    hidden[j - 1] = keepPriors(j, z, hidden[j - 1], done);
    lastLayerPoints[z] = [...lastLayerPoints[z], ...points];
    for (let q = unseenPairs.length - 1; q >= 0; q--) {
      const u = unseenPairs[q];
      if (u.layer === j && u.neuron === z && !done.unseenColumns.includes(u.input)) unseenPairs.splice(q, 1);
    }
    return before - unseenPairs.length;
  };
  /**
   * Unseen weights of layer j shown by kinks on the unseen-weight segments (unseenWeightFromKinks:
   * kinks whose values agree on one weight of a neuron, pooled with its points by the signed solve).
   * Returns how many weights became seen.
   */
  const weightsFromKinks = (j: number, kinks: readonly T.SegmentKinksOutput[], which: (u: UnseenPair) => boolean, middle = false): number => {
    const below = hidden.slice(0, j - 1);
    const points = kinks.flatMap((o) => o.kinks.map((k) => k.point)).filter((p) => !below.some((_, l) => explainedByLayer(hidden, l, p, domainScale)));
    let shown = 0;
    for (const z of [...new Set(unseenPairs.filter((u) => u.layer === j && which(u)).map((u) => u.neuron))]) {
      // Weight after weight in a middle layer: with one shown, kinks where it and another unseen
      // input act show the other (10-15-15-15-1 carlini 1: a narrow-cone neuron's two weights on the
      // same segments). Not in the last layer's rounds once the depth is known (completeUnseen(L)),
      // whose weights the fill from function values and the slope jumps also reach: there kinks of
      // 10-15-15-15-15-1 carlini 3 (zero biases) that agree by chance set weights wrong (exit 1).
      for (;;) {
        const unseen = unseenPairs.filter((u) => u.layer === j && u.neuron === z).map((u) => u.input);
        const fit = unseen.length > 0 ? unseenWeightFromKinks(below, hidden[j - 1], z, unseen, points) : undefined;
        if (!fit) break;
        const done = completeKnownRow(below, hidden[j - 1], lastLayerPoints, fit.points, { owner: z });
        if (!done) {
          log(`layer ${j} neuron ${z + 1}: ${fit.points.length} kinks agree on its weight from layer-${j - 1} neuron ${fit.input + 1} (${fit.weight.toExponential(3)}) but do not pool with its points`);
          break;
        }
        const now = applyCompletion(j, done, fit.points);
        shown += now;
        log(`layer ${j} neuron ${z + 1}: ${fit.points.length} kinks show its weight from layer-${j - 1} neuron ${fit.input + 1} (${fit.weight.toExponential(3)}); ${now} unseen weights now seen`);
        if (now === 0 || !middle) break;
      }
    }
    return shown;
  };
  /**
   * A new row of layer j that is a known neuron seen elsewhere (sameModuloUnseen): when their points
   * pool (close and pinned), the pooled row replaces the known one and the weights it now shows are
   * no longer unseen ('merged'); otherwise it is dropped as a copy ('copy'). Undefined: a new neuron.
   */
  const mergeModuloUnseen = (j: number, points: Float64Array[], row: ArrayLike<number>, bias: number, unseen: readonly number[]): 'merged' | 'copy' | undefined => {
    const top = hidden[j - 1], n = top.inDim, below = hidden.slice(0, j - 1);
    for (let y = 0; y < Math.min(top.outDim, lastLayerPoints.length); y++) {
      const known = { row: top.weights.subarray(y * n, (y + 1) * n), bias: top.biases[y], unseen: unseenPairs.filter((u) => u.layer === j && u.neuron === y).map((u) => u.input) };
      if (!sameModuloUnseen(known, { row, bias, unseen })) continue;
      const done = completeKnownRow(below, top, lastLayerPoints, points, { owner: y });
      if (!done) {
        log(`layer ${j}: a trace of neuron ${y + 1} seen elsewhere does not pool with it: dropped as a copy`);
        return 'copy';
      }
      log(`layer ${j}: neuron ${y + 1} seen again elsewhere: ${applyCompletion(j, done, points)} unseen weights now seen`);
      return 'merged';
    }
    return undefined;
  };
  /**
   * Section 7, a layer-j neuron active on every point of the layer-(j+1) traces (missingActiveInStack
   * gave its row over h^(j-1), sign unknown; 10-20-20-20-1 rk 3 has one active on 100 % of N(0, I)):
   * its boundary lies where +-row . h is low. Segments from trace points (`near`) to the query-free
   * lowest points (lowestPoints, radii 1 and 3, both signs); the unexplained kinks there whose normal
   * is that row's gradient are its boundary: traced and added to layer j. Returns the rows added, or
   * undefined when the run stopped.
   */
  const findMissingActive = async (j: number, row: Float64Array, seen: readonly number[], near: Float64Array[]): Promise<number | undefined> => {
    const below = hidden.slice(0, j - 1), l = below.length - 1;
    const starts = near.slice(0, 4);
    const segs: T.SegmentKinksInput[] = [];
    for (const sg of [1, -1]) {
      const lows = lowestPoints(below, row.map((v) => sg * v), starts, { domainScale, radii: [1, 3] });
      for (const low of lows) for (const s of starts.slice(0, 2)) segs.push({ env, tol, origin: s, direction: low.point.map((v, d) => v - s[d]) });
    }
    const seeds = await seedsOnSegments(`layer ${j}: always-active`, segs, 16 * segs.length);
    if (!seeds) return undefined;
    const match = seeds.filter((sd) => {
      const st = localState(below, sd.point), h = st.activations[l], G = st.grads[l];
      const g = new Float64Array(n0);
      row.forEach((r, i) => {
        if (h[i] > 0) for (let d = 0; d < n0; d++) g[d] += r * G[i * n0 + d];
      });
      const cos = Math.abs(g.reduce((a, v, d) => a + v * sd.normal[d], 0)) / (hypot(g) * hypot(sd.normal));
      return cos > 1 - 1e-4;
    });
    log(`layer ${j}: ${seeds.length} unexplained kinks on ${segs.length} segments towards where the missing neuron is lowest, ${match.length} with its normal`);
    if (match.length === 0) return 0;
    const before = hidden[j - 1].outDim;
    if (!(await completeFromSeeds(j, match.slice(0, 4), 'always-active'))) return undefined;
    if (hidden[j - 1].outDim > before) {
      // Weights of the traced row its boundary never showed: the stack's row has them (where a
      // layer-(j+1) trace saw those inputs active), in proportion to the ones shown.
      for (let t = before; t < hidden[j - 1].outDim; t++) {
        const layer = hidden[j - 1], m = layer.inDim, r = Float64Array.from(layer.weights.subarray(t * m, (t + 1) * m));
        const blind = unseenPairs.filter((u) => u.layer === j && u.neuron === t).map((u) => u.input);
        const fill = blind.filter((i) => seen.includes(i));
        // Compared where both hold the weight: the stack's row is 0 where no layer-(j+1) row sees the input.
        const shown = Array.from({ length: m }, (_, i) => i).filter((i) => !blind.includes(i) && seen.includes(i));
        if (fill.length === 0 || shown.length < 2) {
          if (blind.length > 0) log(`layer ${j}: neuron ${t + 1}'s ${blind.length} weights its trace never showed are not seen by the stack either`);
          continue;
        }
        const d = shown.reduce((a, i) => a + r[i] * row[i], 0), rr = shown.reduce((a, i) => a + r[i] * r[i], 0), ww = shown.reduce((a, i) => a + row[i] * row[i], 0);
        if (!(Math.abs(d) > (1 - 1e-9) * Math.sqrt(rr * ww))) {
          // 10-15-15-15-15-1 rk 1, layer 3 (session 6): 1 - |cos| = 1.7e-3, the layer-4 stack built on rows that lack weights.
          log(`layer ${j}: neuron ${t + 1}'s shown weights are not the stack's row (1 - |cos| = ${(1 - Math.abs(d) / Math.sqrt(rr * ww)).toExponential(1)}): its unseen weights stay unseen`);
          continue;
        }
        for (const i of fill) r[i] = (d / ww) * row[i];
        const unit = unitRowLike(r, layer.biases[t], layer.weights.subarray(t * m, (t + 1) * m));
        if (!unit) continue;
        const W2 = Float64Array.from(layer.weights), b2 = Float64Array.from(layer.biases);
        W2.set(unit.row, t * m);
        b2[t] = unit.bias;
        hidden[j - 1] = denseLayer(m, layer.outDim, W2, b2);
        for (let q = unseenPairs.length - 1; q >= 0; q--) if (unseenPairs[q].layer === j && unseenPairs[q].neuron === t && fill.includes(unseenPairs[q].input)) unseenPairs.splice(q, 1);
        stackFilled.push({ layer: j, neuron: t, inputs: fill });
        log(`layer ${j}: neuron ${t + 1}'s ${fill.length} weights its trace never showed taken from the stack's row`);
      }
      return hidden[j - 1].outDim - before;
    }
    // No trace of it was accepted (10-20-20-20-1 rk 2: both bent far out): the row is known from the
    // stack and its kinks lie on row . h = v; two or more at one v give the bias. Weights on inputs no
    // layer-(j+1) trace saw active are not determined: unseen, completed as any.
    const values = match.map((sd) => row.reduce((a, r, i) => a + r * localValues(below, sd.point).activations[l][i], 0));
    const spread = Math.max(...values) - Math.min(...values);
    if (match.length < 2 || !(spread <= 1e-6 * Math.max(1, ...values.map(Math.abs)))) {
      log(`layer ${j}: the missing neuron's kinks do not lie on one level of its row (spread ${spread.toExponential(1)} over ${match.length}): not added`);
      return 0;
    }
    const v = values.reduce((a, x) => a + x, 0) / values.length;
    hidden[j - 1] = withRows(hidden[j - 1], [Array.from(row)], [-v]);
    layers[j - 1].width = before + 1;
    lastLayerPoints.push(match.map((sd) => sd.point));
    for (let i = 0; i < row.length; i++) if (!seen.includes(i)) unseenPairs.push({ layer: j, neuron: before, input: i });
    warnings.push(`layer ${j}: 1 neuron active on every layer-${j + 1} trace point was placed from the layer-${j + 1} sign stack's row and ${match.length} of its kinks (its traces were not accepted)`);
    log(`layer ${j}: 1 neuron added from the stack's row and ${match.length} kinks at one level (spread ${spread.toExponential(1)}; width ${before} -> ${before + 1})`);
    return 1;
  };
  /**
   * Seeds traced as layer-j candidates and merged into layer j (completeKnownRow, or new rows unless
   * `addNew` is false). False when the run stopped. Seeds aimed at known neurons' unseen weights add
   * nothing new: a trace there that pools with no known row is off (10-20-20-20-1 carlini 1 grew
   * its last layer by 6-10 rows a round that way).
   */
  const completeFromSeeds = async (j: number, far: Seed[], what: string, addNew = true): Promise<boolean> => {
    const traced = await traceLayer(`layer ${j}: ${what} traces`, hidden.slice(0, j - 1), far);
    return traced ? addTraced(j, traced, what, addNew) : false;
  };
  type FreshRow = { row: number[]; bias: number; unseen: number[]; points: Float64Array[]; accuracy: number };
  /**
   * New layer-j rows judged where layer j's known neurons are in other states than on their traces
   * (patternChangeTests): those whose boundary is off its prediction there (impostor) are dropped
   * as the layer-(j+1) boundaries they are. Undefined when the run stopped.
   */
  const notDeeper = async (j: number, fresh: FreshRow[], peersOf: (i: number) => DenseLayer = () => hidden[j - 1], what = 'a new neuron'): Promise<FreshRow[] | undefined> => {
    const below = hidden.slice(0, j - 1), peers = fresh.map((_, i) => peersOf(i));
    if (fresh.length === 0 || peers.every((p) => p.outDim === 0)) return fresh;
    const tests = fresh.map((f, i) => patternChangeTests(below, peers[i], f, f.points, rng.fork('pattern-change tests', j, peers[i].outDim + i), { domainScale }));
    const R = 0.5 * domainScale;
    const segs = tests.flat().map((t): T.SegmentKinksInput => ({ env, tol, origin: t.point.map((v, d) => v - R * t.normal[d]), direction: t.normal.map((v) => 2 * R * v) }));
    const out = segs.length === 0 ? [] : ((await guard(dispatch.run(`layer ${j}: pattern-change tests`, segs.map((input) => ({ kind: TaskKind.segmentKinks, input }))))) as T.SegmentKinksOutput[] | undefined);
    if (!out) return undefined;
    let at = 0;
    return fresh.filter((f, i) => {
      const seen = tests[i].map(() => {
        const o = out[at++];
        const [a, b] = o.ends;
        return { kinks: o.kinks, flat: !a || !b || a.y.every((v, d) => Math.abs(v - b.y[d]) <= tol.value) };
      });
      // testMembership's tolerance: the row's own accuracy, growing with the distance from its trace.
      const v = judgePatternChangeTests(tests[i], seen, (t) => Math.max(tol.farPass, 100 * f.accuracy * (domainScale + t.distance)));
      log(`layer ${j}: ${what} where ${tests[i].length ? `up to ${tests[i][0].changed}` : 'no'} known layer-${j} neurons are in other states than on its trace: ${v.verdict} (${v.hits} hits, ${v.misses} misses, ${v.blank} blank)`);
      if (v.verdict !== 'impostor') return true;
      warnings.push(`layer ${j}: ${what} was dropped: its boundary is off its prediction where other layer-${j} neurons change state (${v.misses} misses, ${v.hits} hits): a layer-${j + 1} boundary`);
      return false;
    });
  };
  /** Layer-j neurons traced over layers 1..j-1, merged into layer j (the top) as completeFromSeeds says. */
  const addTraced = async (j: number, traced: { neurons: LayerNeuron[] }, what: string, addNew: boolean): Promise<boolean> => {
    const top = hidden[j - 1], n = top.inDim;
    const solved = await signedSolveAll(j, traced.neurons, top.outDim);
    const rows: number[][] = [], biases: number[] = [];
    const below = hidden.slice(0, j - 1);
    let completed = 0;
    const fresh: FreshRow[] = [];
    for (const [i, nr] of traced.neurons.entries()) {
      const sol = solved[i];
      const sc = hypot(sol.c);
      if (!(sc > 0)) continue;
      // A known neuron whose row is inexact far out (weights its trace never saw): its far boundary
      // points pool with its own (section 7): the pooled row replaces it.
      const done = completeKnownRow(below, hidden[j - 1], lastLayerPoints.slice(0, top.outDim), nr.points);
      if (done) {
        applyCompletion(j, done, nr.points);
        completed++;
        continue;
      }
      const row = Array.from(sol.c, (v) => v / sc), bias = sol.bias / sc;
      const rowsNow = [...Array.from({ length: top.outDim }, (_, y) => ({ row: Array.from(top.weights.subarray(y * n, (y + 1) * n)), bias: top.biases[y] })), ...fresh.map((f) => ({ row: f.row, bias: f.bias }))];
      if (rowsNow.some((o) => [1, -1].some((sg) => Math.max(Math.abs(o.bias - sg * bias), ...o.row.map((v, d) => Math.abs(v - sg * row[d]))) < 1e-6))) continue;
      if (mergeModuloUnseen(j, nr.points, row, bias, sol.unseenColumns)) {
        completed++;
        continue;
      }
      if (!addNew) continue;
      fresh.push({ row, bias, unseen: sol.unseenColumns, points: nr.points, accuracy: sol.pinning > 0 ? sol.closure / sol.pinning : 0 });
    }
    // Found after the layer was traced, often on chords that cross few of its boundaries: judged
    // again where its known neurons are in other states (a layer-(j+1) boundary bends there).
    const kept = await notDeeper(j, fresh);
    if (!kept) return false;
    for (const f of kept) {
      for (const u of f.unseen) unseenPairs.push({ layer: j, neuron: top.outDim + rows.length, input: u });
      rows.push(f.row);
      biases.push(f.bias);
      lastLayerPoints.push(f.points);
    }
    if (completed > 0) log(`layer ${j}: ${completed} ${what} traces completed known neurons`);
    if (rows.length > 0) {
      hidden[j - 1] = withRows(hidden[j - 1], rows, biases);
      layers[j - 1].width = top.outDim + rows.length;
      warnings.push(what === 'far' ? `layer ${j}: ${rows.length} neurons whose boundaries lie far out were found on chords at larger scales`
        : what === 'always-active' ? `layer ${j}: ${rows.length} neurons active on every layer-${j + 1} trace point were found where the layer-${j + 1} sign stack placed them`
        : what === 'missed' ? `layer ${j}: ${rows.length} neurons active where the finished model missed inputs at larger scales were found there`
        : `layer ${j}: ${rows.length} neurons were found where weights unseen by the layer search act`);
      log(`layer ${j}: ${rows.length} neurons added from ${what} seeds (width ${top.outDim} -> ${top.outDim + rows.length})`);
    }
    return true;
  };
  /**
   * Layer k (its neurons' points kept in pointsOf) re-solved unsigned over layers 1..k-1 as they are
   * now, as a trace result: after a rewind, layer k-1 may hold a neuron its points never saw active
   * (a fixed column, weight unseen, completed as any).
   */
  const replayedLayer = (k: number): DeeperLayerResult => ({
    neurons: pointsOf.get(k)!.map((points): LayerNeuron => {
      const sol = solveCandidate(hidden, points);
      const fixedColumns = [...sol.unseenColumns, ...sol.alwaysActiveColumns];
      const seen = new Set(Array.from({ length: hidden[k - 2].outDim }, (_, i) => i).filter((i) => !fixedColumns.includes(i)));
      return {
        c: sol.c, lambda: sol.lambda, bias: sol.bias, points, seen, closure: sol.closure, pinning: sol.pinning, hits: 0,
        membership: { verdict: 'member', hits: 0, misses: 0, inconclusive: 0, worstOffset: 0 },
        fixedColumns, fixedStates: [...sol.unseenColumns.map(() => 0), ...sol.alwaysActiveColumns.map(() => 1)],
      };
    }),
    unexplained: seedsOf.get(k + 1) ?? [],
    traces: 0,
    rejected: [],
    missedPrevious: [],
  });
  /**
   * Section 7, the middle layers complete by evidence: inputs at 3, 10 and 30 domain scales (where a
   * neuron active on almost no input of the domain is active on a share of them), and where one
   * neuron of a known layer carries that layer alone (where a narrow-cone neuron of the layer above
   * is active, at any scale: dominantPoints), that the unsigned output form of layers 1..L misses
   * (unsignedFitMisfit) lie where a neuron no known layer holds acts. On segments from the nearest
   * of them (of those missed by more than 1e-3 of the worst) towards the domain's centre, and towards
   * a typical input, the unexplained kink nearest the end is where one switches on; those kinks are
   * traced as layer-j candidates, j = 2..L, lowest first. Returns the first layer with a traced neuron that is none of its rows,
   * and the inputs where the model missed; undefined when nothing is missed or found, or the run
   * stopped. The missed inputs are kept (farMisses): the final model is checked on them.
   */
  const findMissedMiddleNeuron = async (round: number): Promise<{ layer: number; traced: { neurons: LayerNeuron[] }; active: Float64Array[]; onsets: Float64Array[] } | undefined> => {
    const top = hidden.length, below = hidden.slice(0, top - 1);
    // Where an input with an unseen weight into layer L acts, the known row is not the true one.
    const skip = unseenPairs.filter((u) => u.layer === top).map((u) => u.input);
    const exact = (x: Float64Array) => {
      if (skip.length === 0) return true;
      const h = localValues(below, x).activations[top - 2];
      return skip.every((i) => h[i] === 0);
    };
    const fitAt = samplePoints.map((x, i) => i).filter((i) => exact(samplePoints[i]));
    if (fitAt.length < 2 * (hidden[top - 1].outDim + hidden[top - 1].inDim + 1)) {
      // 40-20-10-10-1 carlini 3: three such weights, too few samples with all three inputs off.
      warnings.push(`the middle-layer check did not run: ${fitAt.length} samples have every input with an unseen weight into layer ${top} off (${new Set(skip).size} such inputs), too few for the unsigned output form`);
      return undefined;
    }
    const r = rng.fork('middle-layer check', round);
    const points = [3, 10, 30].flatMap((sc) => Array.from({ length: MIDDLE_POINTS }, () => r.gaussianArray(n0).map((v) => v * sc * domainScale)));
    const misses = async (phase: string, xs: Float64Array[]) => {
      const res = (await guard(dispatch.run(phase, [{ kind: TaskKind.outputs, input: { env, points: xs } satisfies T.OutputsInput }]))) as T.OutputsOutput[] | undefined;
      if (!res) return undefined;
      const test = xs.map((x, i) => ({ x, y: res[0].ys[i] })).filter((t) => exact(t.x));
      const fit = unsignedFitMisfit(hidden, fitAt.map((i) => samplePoints[i]), fitAt.map((i) => sampleOutputs[i]), test.map((t) => t.x), test.map((t) => t.y));
      return { fitResidual: fit.fitResidual, checked: test.length, missed: test.map((t, i) => ({ x: t.x, y: t.y, e: fit.misfits[i] })).filter((t) => t.e > MIDDLE_MISFIT) };
    };
    const first = await misses('middle-layer check', points);
    // The samples themselves not fitted: a last-layer neuron is missing (the rare-neuron rounds).
    if (!first || first.fitResidual > 1e-9) return undefined;
    let { checked } = first, missedAt = first.missed;
    let dominant = 0;
    if (missedAt.length === 0) {
      // A second line once the first misses nothing: where one neuron of a known layer carries it
      // alone a narrow-cone neuron of the layer above is active, which random inputs at any scale
      // rarely are (dominantPoints; 10-15-15-15-1 carlini 1, a layer-2 neuron on 0.04 % of inputs).
      // Not with the first: more onsets of a misfit it already shows change nothing but the path.
      const rd = rng.fork('middle-layer check: dominant', round);
      const starts = Array.from({ length: 256 }, () => rd.gaussianArray(n0).map((v) => v * domainScale));
      const xs = hidden.slice(0, top - 1).flatMap((_, l) => dominantPoints(hidden.slice(0, l + 1), starts, { domainScale }).map((d) => d.point));
      const second = await misses('middle-layer check: where one neuron dominates its layer', xs);
      if (!second) return undefined;
      dominant = xs.length;
      checked += second.checked;
      missedAt = second.missed;
    }
    missedAt.sort((a, b) => b.e - a.e);
    farMisses = { points: missedAt.map((t) => t.x), ys: missedAt.map((t) => t.y), checked };
    log(`middle-layer check: ${missedAt.length} of ${checked} inputs at 3, 10 and 30 domain scales${dominant > 0 ? ` and where one known neuron dominates its layer (${dominant})` : ''} missed by the unsigned output form of layers 1..${top}${missedAt.length > 0 ? ` (worst ${missedAt[0].e.toExponential(1)})` : ''}`);
    if (missedAt.length === 0) return undefined;
    // The nearest first: a segment from 30 domain scales crosses many more known boundaries. Of
    // those missed by more than 1e-3 of the worst: a point on many known boundaries at once (where
    // dominantPoints' descents end) misses by rounding-sized amounts where a known row is slightly off
    // (10-15-15-15-15-1 carlini 1: 5e-8..3e-5 at the nearest four, 3e-3 where a missing neuron acts).
    const from = missedAt.filter((t) => t.e > 1e-3 * missedAt[0].e).sort((a, b) => hypot(a.x) - hypot(b.x)).slice(0, 4).map((t) => t.x);
    // Towards the centre and towards a typical input of the domain (a path the missing neuron's
    // effect may not end on when the centre lies in its shadow too).
    const ends = from.flatMap((x) => [new Float64Array(n0), r.gaussianArray(n0).map((v) => v * domainScale)]);
    const segs = ends.map((e, i) => ({ env, tol, origin: from[i >> 1], direction: e.map((v, d) => v - from[i >> 1][d]) }));
    const seeds = await seedsOnSegments('middle-layer check: onsets', segs, segs.length, ends);
    if (seeds) log(`middle-layer check: ${seeds.length} unexplained kinks where the misfit starts, on ${segs.length} segments from ${from.length} missed inputs`);
    if (!seeds || seeds.length === 0) return undefined;
    for (let j = 2; j <= top; j++) {
      const traced = await traceLayer(`layer ${j}: missed-neuron traces`, hidden.slice(0, j - 1), seeds, { ...deeperOptions, acceptInconclusive: true });
      if (!traced) return undefined;
      const layer = hidden[j - 1], n = layer.inDim;
      const fresh = traced.neurons.filter((nr) => {
        const sol = solveCandidate(hidden.slice(0, j - 1), nr.points, true);
        const s = hypot(sol.c);
        if (!(s > 0)) return false;
        const cand = { row: Array.from(sol.c, (v) => v / s), bias: sol.bias / s, unseen: sol.unseenColumns };
        return !Array.from({ length: layer.outDim }, (_, y) => y).some((y) => sameModuloUnseen({ row: layer.weights.subarray(y * n, (y + 1) * n), bias: layer.biases[y], unseen: unseenPairs.filter((u) => u.layer === j && u.neuron === y).map((u) => u.input) }, cand, 1e-4));
      });
      log(`layer ${j}: ${traced.neurons.length} neurons traced from ${seeds.length} onsets of the misfit, ${fresh.length} not among its rows`);
      if (fresh.length > 0) return { layer: j, traced: { neurons: fresh }, active: missedAt.map((t) => t.x), onsets: from };
    }
    return undefined;
  };
  // Layers k >= 2 (ALGORITHM.md section 4): each fixes the signs of layer k-1. A middle-layer neuron
  // found once every layer is traced (findMissedMiddleNeuron) rewinds to its layer: the layers above
  // are replayed (re-solved from their points, not traced again) with it. Per layer k, what that
  // needs: the seeds it was traced from, its neurons' points once layer k+1 was solved, and the
  // report's length just before it was traced.
  const seedsOf = new Map<number, Seed[]>(), pointsOf = new Map<number, Float64Array[][]>();
  const reportsAt = new Map<number, { warnings: number; missing: number }>();
  // A replay: up to which layer, and the layers and their reports as they were before the rewind.
  let replay: { upTo: number; hidden: DenseLayer[]; reports: LayerReport[] } | undefined;
  let firstLayer = 2, L = hidden.length, lastFarDone = false;
  // The inputs the last middle-layer check found missed (none: the check passed).
  let farMisses: { points: Float64Array[]; ys: Float64Array[]; checked: number } | undefined;
  for (let rewinds = 0; ; rewinds++) {
    for (let k = firstLayer; seeds.length > 0 && k <= maxDepth && !stopped; k++) {
      // A replayed layer is re-solved from its neurons' points over the completed layers below.
      const replaying = replay !== undefined && k <= replay.upTo;
      progress(`layer ${k}: traces`, k, hidden.map((l) => l.outDim));
      if (k >= 3) {
        // Unexplained kinks remain after layer k-1: the net is deeper, and layer k-1 must be complete
        // before layer k is traced (section 7). Far seeds first; those left are layer k's too.
        const farLeft = replaying ? [] : await completeFromFar(k - 1);
        if (farLeft === undefined) {
          missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
          unexplainedLeft = seeds.length;
          break;
        }
        if (!(await completeUnseen(k - 1, undefined, true))) {
          missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
          unexplainedLeft = seeds.length;
          break;
        }
        if (!replaying) seeds = [...seeds.filter((sd) => !explainedByLayer(hidden, k - 2, sd.point, domainScale)), ...farLeft];
      }
      if (!replaying) seedsOf.set(k, seeds);
      reportsAt.set(k, { warnings: warnings.length, missing: missing.length });
      const found = replaying ? replayedLayer(k) : await traceLayer(`layer ${k}: traces`, hidden, seeds);
      if (!found) {
        missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
        unexplainedLeft = seeds.length;
        break;
      }
      if (replaying) log(`layer ${k}: ${found.neurons.length} neurons re-solved from their points over the completed layer ${k - 1}`);
      else log(`layer ${k}: ${found.neurons.length} neurons from ${found.traces} traces, ${found.unexplained.length} kinks left unexplained (${dispatch.queries} queries so far)`);
      // Section 7: a trace that follows a layer-(k-1) boundary and closes with a known neuron's points
      // completes that row (it reached where an input never seen switching does switch).
      found.missedPrevious = found.missedPrevious.filter((pts) => {
        const done = completeKnownRow(hidden.slice(0, k - 2), hidden[k - 2], lastLayerPoints, pts);
        if (!done) return true;
        log(`layer ${k - 1}: neuron ${done.owner + 1} completed by a layer-${k} trace along its boundary (${applyCompletion(k - 1, done, pts)} unseen weights now seen)`);
        return false;
      });
      seeds = seeds.filter((sd) => !explainedByLayer(hidden, k - 2, sd.point, domainScale));
      if (seeds.length === 0 && found.neurons.length === 0) break;
      // Judged at the end: the rare-neuron search may still find the last layer's missed neuron.
      for (const pts of found.missedPrevious) missedBoundaries.push({ layer: k - 1, points: pts });
      if (found.neurons.length === 0) {
        warnings.push(`layer ${k}: no neuron found while ${seeds.length} sampled kinks are not explained by layers 1..${k - 1} (${found.traces} traces: ${found.rejected.slice(0, 3).join('; ')})`);
        unexplainedLeft = seeds.length;
        break;
      }
      // Replayed: the signs of layer k-1 were solved before the rewind (its rows oriented as then).
      if (replaying) layers[k - 2].signs ??= replay!.reports[k - 2]?.signs;
      else {
        const stackRows = () => found.neurons.map((nr) => {
          const quiet = new Set(inactiveBelow(hidden, nr.points));
          return { ...nr, support: Array.from({ length: hidden[k - 2].inDim }, (_, i) => i).filter((i) => !quiet.has(i)) };
        });
        // Rows of layer k-1 added below, oriented active where layer k was traced: their flips are 0.
        const orientedActive: number[] = [];
        let firstSigns: LayerSigns | undefined, addedBelow = false;
        const firstRows = stackRows();
        try {
          firstSigns = solveLayerSigns(hidden[k - 2], firstRows);
        } catch (e) {
          if (!(e instanceof SignsUndeterminedError)) throw e;
        }
        if (k >= 3 && !(firstSigns && firstSigns.margin < 0.05 && firstSigns.residual < 1e-6)) {
          options.onOpenStack?.(k, hidden.slice(0, k - 1), firstRows);
          const act = missingActiveInStack(hidden[k - 2], firstRows);
          if (!act) log(`layer ${k - 1}: the layer-${k} stack does not close (${firstSigns ? `margin ${firstSigns.margin.toExponential(1)}, residual ${firstSigns.residual.toExponential(1)}` : 'no assignment near {0, 1}'}) and no missing active neuron explains it`);
          if (act) {
            log(`layer ${k - 1}: the layer-${k} stack closes with one more layer-${k - 1} neuron active on every trace point (flips margin ${act.margin.toExponential(1)}, residual ${act.residual.toExponential(1)}, share ${act.share.toExponential(1)}): searching its boundary`);
            const before = hidden[k - 2].outDim;
            const added = await findMissingActive(k - 1, act.row, act.seen, found.neurons.flatMap((nr) => nr.points.slice(0, 1)));
            if (added === undefined) {
              missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
              unexplainedLeft = seeds.length;
              break;
            }
            if (added > 0) {
              addedBelow = true;
              if (!(await completeUnseen(k - 1, undefined, true))) {
                missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
                unexplainedLeft = seeds.length;
                break;
              }
              // One layer's rows: flipping one does not change the others' values at these points.
              const zetas = found.neurons.flatMap((nr) => nr.points).map((p) => localValues(hidden, p).zetas[k - 2]);
              for (let t = before; t < hidden[k - 2].outDim; t++) {
                const on = zetas.filter((z) => z[t] > 0).length;
                if (2 * on < zetas.length) hidden[k - 2] = flipRows(hidden[k - 2], Uint8Array.from({ length: hidden[k - 2].outDim }, (_, y) => (y === t ? 1 : 0)));
                orientedActive.push(t);
              }
              // Layer k's unsigned solves again, over the completed layer k-1.
              for (const nr of found.neurons) {
                const sol = solveCandidate(hidden.slice(0, k - 1), nr.points);
                Object.assign(nr, { c: sol.c, lambda: sol.lambda, bias: sol.bias, closure: sol.closure, pinning: sol.pinning, fixedColumns: [...sol.unseenColumns, ...sol.alwaysActiveColumns], fixedStates: [...sol.unseenColumns.map(() => 0), ...sol.alwaysActiveColumns.map(() => 1)] });
              }
              // Seeds whose traces were rejected while layer k-1 lacked the neuron (they bent where it
              // switches), traced again over the completed layer (10-15-15-15-15-1 rk 1: 7 of the 15
              // layer-4 neurons came from the first 48 traces).
              if (found.unexplained.length > 0) {
                const again = await traceLayer(`layer ${k}: traces over the completed layer ${k - 1}`, hidden, found.unexplained, deeperOptions, found.neurons);
                if (!again) {
                  missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
                  unexplainedLeft = seeds.length;
                  break;
                }
                log(`layer ${k}: ${again.neurons.length - found.neurons.length} more neurons from ${again.traces} traces over the completed layer ${k - 1}, ${again.unexplained.length} kinks left unexplained`);
                Object.assign(found, { neurons: again.neurons, unexplained: again.unexplained, traces: found.traces + again.traces, rejected: [...found.rejected, ...again.rejected], missedPrevious: [...found.missedPrevious, ...again.missedPrevious] });
              }
            }
          }
        }
        const prev = hidden[k - 2];
        try {
          const signs = !addedBelow && firstSigns ? firstSigns : solveLayerSigns(prev, stackRows(), 3, orientedActive);
          layers[k - 2].signs = { method: `stacked ${signs.method}`, margin: signs.margin, residual: signs.residual, free: signs.free };
          if (signs.margin > 0.1 || signs.residual > 1e-6) warnings.push(`layer ${k - 1} signs are uncertain (margin ${signs.margin.toExponential(2)}, residual ${signs.residual.toExponential(2)})`);
          if (signs.dropped.length > 0) warnings.push(`layer ${k}: ${signs.dropped.length} neurons left out of the layer-${k - 1} sign stack (inconsistent with the others, or no sign information)`);
          hidden[k - 2] = flipRows(prev, signs.flips);
        } catch (e) {
          // Layers k and deeper are solved with the recovered (arbitrary) signs: reported, not hidden.
          warnings.push(`layer ${k - 1} signs not solved: ${(e as Error).message}`);
          missing.push(`signs of layer ${k - 1}`);
        }
      }
      // Re-solve every neuron with the signs of layer k-1 fixed (no lambda block), canonical scale.
      const nPrev = hidden[k - 2].outDim, width = found.neurons.length;
      const Wk = new Float64Array(width * nPrev), bk = new Float64Array(width);
      const solved = await signedSolveAll(k, found.neurons);
      for (const [z, sol] of solved.entries()) {
        for (const j of sol.unseenColumns) unseenPairs.push({ layer: k, neuron: z, input: j });
        const s = hypot(sol.c);
        for (let j = 0; j < nPrev; j++) Wk[z * nPrev + j] = sol.c[j] / s;
        bk[z] = sol.bias / s;
        // Replayed: oriented as the same row was before the rewind, when layer k+1 fixed its sign.
        const was = replaying ? replay!.hidden[k - 1] : undefined;
        if (was && z < was.outDim) {
          let dot = bk[z] * was.biases[z];
          for (let j = 0; j < Math.min(nPrev, was.inDim); j++) dot += Wk[z * nPrev + j] * was.weights[z * was.inDim + j];
          if (dot < 0) {
            for (let j = 0; j < nPrev; j++) Wk[z * nPrev + j] = -Wk[z * nPrev + j];
            bk[z] = -bk[z];
          }
        }
      }
      // Unmerged duplicates (section 4: the commonest wrong architecture): rows equal up to sign.
      const dupOf = new Array<number>(width).fill(-1);
      // Traced neurons whose traces found the boundary off its prediction at 2 or more crossings
      // (10-15-15-15-15-1 rk 3: the two extra layer-3 rows, 8 and 6 such crossings; true rows 0-4):
      // judged where the layer's other rows change state, as rows found late are. Dropped rows
      // point at themselves in dupOf (removed as twins are, their points pooled with none).
      const suspects = replaying || k < 3 ? [] : found.neurons.map((_, z) => z).filter((z) => (found.neurons[z].failedCrossings ?? 0) >= 2);
      if (suspects.length > 0) {
        const rowOf = (z: number) => Array.from(Wk.subarray(z * nPrev, (z + 1) * nPrev));
        const others = (z: number) => Array.from({ length: width }, (_, y) => y).filter((y) => y !== z);
        const peersOf = (i: number) => {
          const ys = others(suspects[i]);
          return denseLayer(nPrev, ys.length, Float64Array.from(ys.flatMap(rowOf)), Float64Array.from(ys.map((y) => bk[y])));
        };
        const fresh = suspects.map((z): FreshRow => ({ row: rowOf(z), bias: bk[z], unseen: solved[z].unseenColumns, points: found.neurons[z].points, accuracy: solved[z].pinning > 0 ? solved[z].closure / solved[z].pinning : 0 }));
        const kept = await notDeeper(k, fresh, peersOf, 'a traced neuron whose trace missed its predicted crossings');
        if (!kept) {
          missing.push(`layer ${k} and deeper: not traced (the run stopped early)`);
          unexplainedLeft = seeds.length;
          break;
        }
        suspects.forEach((z, i) => {
          if (!kept.includes(fresh[i])) dupOf[z] = z;
        });
      }
      for (let z = 0; z < width; z++) {
        for (let y = 0; y < z && dupOf[z] < 0; y++) {
          if (dupOf[y] >= 0) continue;
          for (const sg of [1, -1]) {
            let d = Math.abs(bk[z] - sg * bk[y]);
            for (let j = 0; j < nPrev; j++) d = Math.max(d, Math.abs(Wk[z * nPrev + j] - sg * Wk[y * nPrev + j]));
            if (d < 1e-6) dupOf[z] = y;
          }
          // Depth >= 3: one neuron traced twice, each trace blind to different inputs (a trace whose
          // stray points made it miss the pooled-closure merge of the search, 10-20-20-20-1).
          const rowOf = (q: number) => ({ row: Wk.subarray(q * nPrev, (q + 1) * nPrev), bias: bk[q], unseen: solved[q].unseenColumns });
          if (dupOf[z] < 0 && k >= 3 && (solved[z].unseenColumns.length > 0 || solved[y].unseenColumns.length > 0) && sameModuloUnseen(rowOf(z), rowOf(y))) dupOf[z] = y;
        }
      }
      const keepRows = Array.from({ length: width }, (_, z) => z).filter((z) => dupOf[z] < 0);
      const pooledUnseen = new Map<number, number[]>();
      if (keepRows.length < width) {
        const twinCount = dupOf.filter((d, z) => d >= 0 && d !== z).length;
        if (twinCount > 0) warnings.push(`layer ${k}: ${twinCount} neurons found twice (equal rows) were merged`);
        keepRows.forEach((z, r) => {
          const twins = found.neurons.filter((_, y) => dupOf[y] === z);
          found.neurons[z].points = [...found.neurons[z].points, ...twins.flatMap((nr) => nr.points)];
          Wk.copyWithin(r * nPrev, z * nPrev, (z + 1) * nPrev);
          bk[r] = bk[z];
          if (twins.length === 0 || solved[z].unseenColumns.length === 0) return;
          // The twins' points show weights this row's did not: the pooled row, when it closes.
          const pooled = solveCandidate(hidden.slice(0, k - 1), found.neurons[z].points, true);
          if (!(pooled.closure < 1e-9 && pooled.pinning > 1e-6 && pooled.droppedPoints.length === 0)) return;
          const unit = unitRowLike(pooled.c, pooled.bias, Wk.subarray(r * nPrev, (r + 1) * nPrev));
          if (!unit) return;
          Wk.set(unit.row, r * nPrev);
          bk[r] = unit.bias;
          pooledUnseen.set(z, pooled.unseenColumns);
        });
        for (let i = unseenPairs.length - 1; i >= 0; i--) {
          const u = unseenPairs[i];
          if (u.layer !== k) continue;
          if (dupOf[u.neuron] >= 0 || pooledUnseen.get(u.neuron)?.includes(u.input) === false) unseenPairs.splice(i, 1);
          else u.neuron = keepRows.indexOf(u.neuron);
        }
      }
      const widthK = keepRows.length;
      hidden.push(denseLayer(nPrev, widthK, Wk.slice(0, widthK * nPrev), bk.slice(0, widthK)));
      progress(`layer ${k}: solved`, k, hidden.map((l) => l.outDim));
      layers.push({ layer: k, width: widthK, fit: 'points' });
      pointsOf.set(k - 1, lastLayerPoints);
      lastLayerPoints = keepRows.map((z) => found.neurons[z].points);
      // Explained by the signed layer k (exact everywhere, also where a neuron's trace never saw an
      // input switch), by position alone.
      seeds = found.unexplained.filter((sd) => !explainedByLayer(hidden, k - 1, sd.point, domainScale));
      if (seeds.length > 0) log(`layer ${k}: ${seeds.length} kinks not explained by layers 1..${k}`);
    }
    L = hidden.length;
    if (L >= 3 && !stopped && unexplainedLeft === 0) {
      // The last hidden layer completed from far seeds as the others were (a depth >= 3 net; two
      // hidden layers rely on the output fit's rare-neuron search below).
      // Once: a replay re-solves layer L from its points, those of its far neurons too.
      const farLeft = lastFarDone ? [] : await completeFromFar(L);
      lastFarDone = true;
      if (farLeft && farLeft.length > 0) log(`layer ${L}: ${farLeft.length} far kinks explained by no recovered neuron`);
      if (farLeft) await completeUnseen(L);
    }
    if (rewinds >= MIDDLE_ROUNDS || L < 3 || stopped || unexplainedLeft > 0) break;
    const missed = await findMissedMiddleNeuron(rewinds);
    if (!missed) break;
    const j = missed.layer;
    if (j === L) {
      // The top layer: added as any neuron found late (no layer above it to re-solve).
      if (!(await addTraced(L, missed.traced, 'missed', true))) break;
      replay = undefined;
      firstLayer = maxDepth + 1;
      continue;
    }
    // Back to where layer j was the top (before layer j+1 was traced), layers 1..j as they are now.
    pointsOf.set(L, lastLayerPoints);
    seedsOf.set(L + 1, seeds);
    const at = reportsAt.get(j + 1)!;
    warnings.splice(at.warnings);
    missing.splice(at.missing);
    const before = { hidden: hidden.slice(), reports: layers.slice() };
    hidden.splice(j);
    layers.splice(j);
    lastLayerPoints = pointsOf.get(j)!;
    for (let q = unseenPairs.length - 1; q >= 0; q--) if (unseenPairs[q].layer > j) unseenPairs.splice(q, 1);
    const width = hidden[j - 1].outDim;
    if (!(await addTraced(j, missed.traced, 'missed', true))) break;
    // Oriented active where the model missed the black box, at the inputs whose segments found it
    // (there the missing neuron acts; other missed inputs may miss for other reasons: 10-15-15-15-15-1
    // carlini 1, 7 of 14): no layer-(j+1) point tells its sign (it is off on all of them), and the
    // replay keeps the signs.
    const added = Array.from({ length: hidden[j - 1].outDim - width }, (_, i) => width + i);
    const actives = new Map<number, Float64Array[]>();
    for (const t of added) {
      const on = missed.onsets.filter((x) => localState(hidden, x).zetas[j - 1][t] > 0).length;
      if (2 * on < missed.onsets.length) hidden[j - 1] = flipRows(hidden[j - 1], Uint8Array.from({ length: hidden[j - 1].outDim }, (_, y) => (y === t ? 1 : 0)));
      actives.set(t, missed.active.filter((x) => localState(hidden, x).zetas[j - 1][t] > 0));
    }
    activeAt.set(j, actives);
    log(`layer ${j}: ${added.length} neurons found where the model missed inputs at larger scales (width ${width} -> ${hidden[j - 1].outDim}); layers ${j + 1}..${L} re-solved with them`);
    warnings.push(`layers ${j + 1}..${L} were re-solved from their boundary points with the layer-${j} neurons found late`);
    replay = { upTo: L, ...before };
    firstLayer = j + 1;
    seeds = seedsOf.get(j + 1)!;
  }
  /**
   * Two inputs either side of up to 4 boundary points of each given last-layer neuron: 0.1 domain
   * scales off, or half the distance to the nearest other known boundary when closer (a neuron's
   * thin active side, e.g. the sliver where an almost-always-active neuron turns off).
   */
  const besideBoundaries = (zs: number[]) => {
    const sides: Float64Array[] = [];
    for (const z of zs) {
      const pts = lastLayerPoints[z];
      for (const p of spreadByIndex(pts, 4)) {
        const st = localState(hidden, p);
        const gz = st.grads[hidden.length - 1].subarray(z * n0, (z + 1) * n0);
        const gn = hypot(gz);
        if (!(gn > 0)) continue;
        let near = Infinity;
        st.zetas.forEach((zl, l) => zl.forEach((v, j) => {
          if (l === hidden.length - 1 && j === z) return;
          const g = hypot(st.grads[l].subarray(j * n0, (j + 1) * n0));
          if (g > 0) near = Math.min(near, Math.abs(v) / g);
        }));
        const step = Math.min(0.1 * domainScale, 0.5 * near);
        if (!(step > 1e-6 * domainScale)) continue;
        for (const sgn of [-1, 1]) sides.push(p.map((v, d) => v + (sgn * step * gz[d]) / gn));
      }
    }
    return sides;
  };
  if (L >= 2) {
    // Samples on both sides of every last-layer boundary: a neuron active on every cached sample
    // is otherwise inseparable from the h^(L-1) block of the fit (2 queries per point).
    await withOutputs(`layer ${L}: samples beside its boundaries`, besideBoundaries(lastLayerPoints.map((_, z) => z)));
    // Section 7: inputs on edges of the layer-1..L-1 arrangement, where a layer-L neuron that no
    // sample touched (a rare cone, or the far inactive side of an almost-always-active one) shows.
    await withOutputs(`layer ${L}: ray probes`, rayProbePoints(hidden.slice(0, L - 1), rng.fork('ray probes'), { domainScale, count: 128 }));
  }
  // Section 7: when the unsigned output fit does not reproduce the samples, a last-layer neuron may
  // never have been sampled (a rare cone): search segments through the samples it misses most.
  // Inputs whose weights into a neuron found by a rare-neuron round its boundary never showed (filled
  // from function values below): where they act, that neuron's row is not yet the true one.
  const rareUnseen = new Set<number>();
  // Rows of layer L the rare rounds added or replaced.
  const rareRows = new Set<number>();
  // The one-output candidates' lowest points are queried once.
  let oneOutputLooked = false;
  /**
   * Rare-neuron rounds (up to options.rareRounds). True when they stopped because the output misfit
   * lies only where weights their neurons' boundaries never showed act (those weights, not a
   * missing neuron, may explain it).
   */
  const rareNeuronRounds = async (): Promise<boolean> => {
    for (let round = 0; L >= 2 && round < (options.rareRounds ?? 3) && !stopped; round++) {
      const fit = lastLayerSigns(hidden, samplePoints, sampleOutputs, true);
      if (fit.fitResidual < 1e-9) break;
      if (round > 0 && rareUnseen.size > 0) {
        // The misfit may be only where such weights act (the last round's neuron, not yet filled):
        // another round would trace that neuron again (10-20-20-1 carlini 1: +2.5k queries for a copy).
        // Fitting the samples where they are all off tells: a still missing neuron shows there too.
        let rest: number | undefined;
        try {
          rest = lastLayerSigns(hidden, samplePoints, sampleOutputs, true, [...rareUnseen]).fitResidual;
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
        }
        if (rest !== undefined && rest < 1e-9) {
          log(`layer ${L}: output fit residual ${fit.fitResidual.toExponential(2)} only where ${rareUnseen.size} weights unseen by the rare-neuron search act (${rest.toExponential(2)} elsewhere): no further round`);
          return true;
        }
      }
      let expectedRows: Float64Array[] | undefined;
      // Query-free: where row . h^(L-1) is lowest within the balls of `radii`, from the 4 samples where it is lowest.
      let hs: Float64Array[] | undefined;
      const lowestNear = (row: Float64Array, radii: number[]): Float64Array[] => {
        const below = hidden.slice(0, L - 1);
        hs ??= samplePoints.map((x) => localValues(below, x).activations[L - 2]);
        const val = hs.map((h) => h.reduce((s, v, j) => s + v * row[j], 0));
        const starts = val.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).slice(0, 4).map(([, i]) => samplePoints[i]);
        return lowestPoints(below, row, starts, { domainScale, radii }).map((p) => p.point);
      };
      let order = fit.residuals!.map((r, i) => [r, i]).sort((a, b) => b[0] - a[0]).slice(0, 6).map(([, i]) => samplePoints[i]);
      log(`layer ${L}: output fit residual ${fit.fitResidual.toExponential(2)}; searching for rare neurons near the worst samples`);
      const yMax = Math.max(...sampleOutputs.map((y) => Math.max(...Array.from(y, Math.abs))));
      if (Math.max(...fit.residuals!) < 1e-9 * yMax) {
        // Every sample fits, only the Lambda block does not: a neuron active on every sample. Its row
        // (from that block) says where its inactive side can be: start the search there.
        const act = missingActiveRow(hidden, samplePoints, sampleOutputs);
        if (act) {
          const lows = [1, -1].map((sg) => lowestNear(act.row.map((v) => sg * v), [1, 3]));
          const centers = lows[0].flatMap((p, r) => [p, ...(lows[1][r] ? [lows[1][r]] : [])]);
          log(`layer ${L}: a neuron active on every sample (row from the output fit, flips margin ${act.margin.toExponential(1)}): searching where it is lowest first`);
          order = [...centers, ...order];
          expectedRows = [act.row];
        }
      }
      if (m === 1 && !expectedRows) {
        // One output: the row is one of the flip patterns' rows that stay one-signed far out (the fit
        // leaves out the few samples on its inactive side, the first places to search); with none
        // there, where each is lowest the black box shows whether a neuron turns off.
        const fr = rng.fork(`one-output candidates ${round}`);
        const far = Array.from({ length: 2000 }, () => fr.gaussianArray(n0).map((v) => 100 * domainScale * v));
        const one = oneOutputActiveCandidates(hidden, samplePoints, sampleOutputs, far);
        if (one && one.candidates.length > 0) {
          expectedRows = one.candidates.map((c) => c.row);
          log(`layer ${L}: the output fit closes without ${one.outliers.length} samples; ${one.candidates.length} flip patterns of layer ${L} leave a row one-signed far out (a neuron active almost everywhere)`);
          if (one.outliers.length > 0) order = [...one.outliers.map((i) => samplePoints[i]), ...order].slice(0, 6);
          else if (!oneOutputLooked) {
            // Many patterns do not name the row (the cap, 512, on 10-15-15-15-15-1 rk 2: four of its
            // layer-4 neurons are active on 97-100 % of inputs far out, so flipping them keeps a row
            // one-signed), but where they are lowest the model is tested where no sample was: up to
            // LOWEST_PATTERNS of them, spread over the list.
            oneOutputLooked = true;
            const lows = spreadByIndex(one.candidates, LOWEST_PATTERNS).flatMap((c) => lowestNear(c.row, [1, 3, 10, 30]));
            const before = samplePoints.length;
            await withOutputs(`layer ${L}: lowest points of the one-output rows`, lows);
            const refit = lastLayerSigns(hidden, samplePoints, sampleOutputs, true);
            const off = refit.residuals!.map((r, i) => [r, i]).filter(([r, i]) => i >= before && r > 1e-9 * yMax).sort((p, q) => q[0] - p[0]);
            log(`layer ${L}: ${off.length} of ${lows.length} lowest points misfit${off.length > 0 ? ` (worst ${off[0][0].toExponential(2)}): searching there` : ''}`);
            if (off.length === 0) break;
            order = off.slice(0, 6).map(([, i]) => samplePoints[i]);
          }
        }
      }
      // The misfit of the samples is the evidence that a layer-L neuron is missing: the task accepts
      // candidates the far test could not test.
      let found: ReturnType<typeof fromTraceOutput>;
      if (planWidth > 1) {
        // The same search as phases: kink searches through every centre at once, then trace waves.
        const rareSeeds = await findRareSeeds(order, rng.fork(`rare ${round}`));
        if (!rareSeeds || rareSeeds.length === 0) break;
        const traced = await traceLayer(`layer ${L}: rare-neuron traces`, hidden.slice(0, L - 1), rareSeeds, { ...deeperOptions, acceptInconclusive: true, confinedFallback: true, ...(expectedRows ? { expectedRows } : {}) });
        if (!traced) break;
        found = traced;
      } else {
        const rareRes = (await guard(dispatch.run(`layer ${L}: rare-neuron search`, [{ kind: TaskKind.rareNeurons, input: { env, tol, known: hidden, centers: order, options: options.deeper ?? {}, ...(expectedRows ? { expectedRows } : {}) } satisfies T.RareNeuronsInput }]))) as T.RareNeuronsOutput[] | undefined;
        if (!rareRes) break;
        const [rare] = rareRes;
        if (rare.seeds === 0) break;
        found = fromTraceOutput(rare.found);
      }
      let top = hidden[L - 1];
      const n = top.inDim;
      const rows: number[][] = [], biases: number[] = [];
      const solvedRare = await signedSolveAll(L, found.neurons, top.outDim);
      let replaced = 0;
      for (const [i, nr] of found.neurons.entries()) {
        const z = top.outDim + rows.length;
        const sol = solvedRare[i];
        // A neuron found through the output fit's Lambda block (expectedRow): the weights its boundary
        // never shows start from that row, scaled to the ones it shows (refined with the other unseen
        // weights below; exact enough meanwhile for the fit and the signs).
        const priors: number[] = [];
        const expectedRow = expectedRows?.find((row) => agreesWith({ c: sol.c, unseenColumns: sol.unseenColumns, alwaysActiveColumns: [] }, row));
        if (expectedRow) {
          const shown = Array.from(sol.c.keys()).filter((j) => !sol.unseenColumns.includes(j));
          const d = shown.reduce((a, j) => a + sol.c[j] * expectedRow[j], 0), r2 = shown.reduce((a, j) => a + expectedRow[j] ** 2, 0);
          if (sol.unseenColumns.length > 0) {
            for (const j of sol.unseenColumns) {
              sol.c[j] = (d / r2) * expectedRow[j];
              priors.push(j);
            }
          }
        }
        const s = hypot(sol.c);
        const row = Array.from(sol.c, (v) => v / s), bias = sol.bias / s;
        const known = [...Array.from({ length: top.outDim }, (_, y) => ({ row: Array.from(top.weights.subarray(y * n, (y + 1) * n)), bias: top.biases[y] })), ...rows.map((r, i) => ({ row: r, bias: biases[i] }))];
        const dup = known.some((o) => [1, -1].some((sg) => Math.max(Math.abs(o.bias - sg * bias), ...o.row.map((v, j) => Math.abs(v - sg * row[j]))) < 1e-6));
        if (dup) continue;
        if (L >= 3 && priors.length === 0) {
          const merged = mergeModuloUnseen(L, nr.points, row, bias, sol.unseenColumns);
          if (merged) {
            top = hidden[L - 1];
            if (merged === 'merged') replaced++;
            continue;
          }
        }
        // A near copy (every entry within 1e-2) of a row found earlier whose points close far worse:
        // that one was an inexact trace of this neuron (a point off by another kink, accepted by a
        // rare-neuron search without far-test evidence); the exact one replaces it.
        const near = Array.from({ length: top.outDim }, (_, y) => y).find((y) => [1, -1].some((sg) => Math.max(Math.abs(top.biases[y] - sg * bias), ...Array.from(top.weights.subarray(y * n, (y + 1) * n), (v, j) => (sol.unseenColumns.includes(j) ? 0 : Math.abs(v - sg * row[j])))) < 1e-2));
        if (near !== undefined && lastLayerPoints[near]) {
          const below = hidden.slice(0, L - 1);
          const old = solveCandidate(below, lastLayerPoints[near], true), fresh = solveCandidate(below, nr.points, true);
          if (fresh.closure < 1e-12 && old.closure > 100 * fresh.closure) {
            const W = Float64Array.from(top.weights), B = Float64Array.from(top.biases);
            let dot = 0;
            for (let j = 0; j < n; j++) dot += W[near * n + j] * row[j];
            const sg = Math.sign(dot || 1);
            for (let j = 0; j < n; j++) W[near * n + j] = sg * row[j];
            B[near] = sg * bias;
            top = denseLayer(n, top.outDim, W, B);
            hidden[L - 1] = top;
            lastLayerPoints[near] = nr.points;
            for (let q = unseenPairs.length - 1; q >= 0; q--) if (unseenPairs[q].layer === L && unseenPairs[q].neuron === near) unseenPairs.splice(q, 1);
            for (const j of sol.unseenColumns) unseenPairs.push({ layer: L, neuron: near, input: j, ...(priors.includes(j) ? { prior: true } : {}) });
            rareRows.add(near);
            for (const j of sol.unseenColumns) if (!priors.includes(j)) rareUnseen.add(j);
            log(`layer ${L}: neuron ${near + 1} replaced by an exact trace of it (closure ${old.closure.toExponential(1)} -> ${fresh.closure.toExponential(1)})`);
            replaced++;
            continue;
          }
        }
        for (const j of sol.unseenColumns) unseenPairs.push({ layer: L, neuron: z, input: j, ...(priors.includes(j) ? { prior: true } : {}) });
        rareRows.add(z);
        for (const j of sol.unseenColumns) if (!priors.includes(j)) rareUnseen.add(j);
        rows.push(row);
        biases.push(bias);
        lastLayerPoints.push(nr.points);
      }
      if (rows.length === 0 && replaced === 0) break;
      if (rows.length === 0) continue;
      hidden[L - 1] = withRows(top, rows, biases);
      layers[L - 1].width = top.outDim + rows.length;
      warnings.push(`layer ${L}: ${rows.length} neurons never hit by the first sampling were found through the samples the model missed`);
      L = hidden.length;
      // Samples on both sides of a new boundary that (almost) no sample has on one side: such a neuron
      // is otherwise inseparable from the h^(L-1) block of the fit (section 5).
      const lopsided = rows.map((_, i) => top.outDim + i).filter((z) => {
        const on = samplePoints.filter((x) => localValues(hidden, x).zetas[L - 1][z] > 0).length;
        return Math.min(on, samplePoints.length - on) < 4;
      });
      await withOutputs(`layer ${L}: samples beside the new boundaries`, besideBoundaries(lopsided));
    }
    return false;
  };
  /**
   * Query-free, exact (deepestJointInput): an input of the box |x_d| <= reach where neuron z of the
   * top of `upto` and its input i are both on as the rows stand, deepened by ascent from there
   * (jointActivePoint) so that its depth is a distance in input space. For the pairs the ascent from
   * sampled starts misses: slivers of ~1e-6 of inputs (10-15-15-15-15-1 rk 2, layer-4 neuron 4 and
   * layer-3 neuron 10, on together on 5e-6 of inputs at 10-30 domain scales).
   */
  const exactJointStart = async (upto: DenseLayer[], z: number, i: number) => {
    const exact = deepestJointInput(await loadMilpSolver(), upto, z, i, { halfWidth: exactReach(upto.length, z), timeLimit: EXACT_SEARCH_SECONDS });
    if (exact.kind !== 'found') return undefined;
    log(`layer ${upto.length} neuron ${z + 1}: an input where its input ${i + 1} is on too, found by the exact search (|x| = ${hypot(exact.input).toExponential(2)})`);
    return jointActivePoint(upto, z, i, [], [exact.input], 1.5 * hypot(exact.input));
  };
  /** The box the exact search covers for neuron z of layer j: 3 sqrt(n0) domain scales, or 1.5 times its farthest boundary point. */
  const exactReach = (j: number, z: number) => Math.max(3 * Math.sqrt(n0) * domainScale, 1.5 * Math.max(0, ...(pointsOfLayer(j)?.[z] ?? []).map(hypot)));
  /** Last-layer weights proved to act nowhere (`neuron:input`), with the box's half-width. */
  const provedNowhere = new Map<string, number>();
  /** Inputs where each weight fitted by fitWhereTheyAct acts (pairKey). */
  const actedAt = new Map<string, Float64Array[]>();
  const pairKey = (u: { layer: number; neuron: number; input: number }) => `${u.layer}:${u.neuron}:${u.input}`;
  /**
   * Of the last layer's unseen weights the probes found acting nowhere, those that do act: the exact
   * search finds an input where the neuron (its unseen weights at 0) and the input are both on. The
   * rest are proved (to the solver's tolerances) to act nowhere within the box, as the rows stand.
   */
  const actingNowhere = async (pairs: typeof unseenPairs, unseen: typeof unseenPairs) => {
    const kept: typeof unseenPairs = [];
    const top = hidden[L - 1], n = top.inDim;
    const W = Float64Array.from(top.weights);
    for (const u of unseen) W[u.neuron * n + u.input] = 0;
    const model = [...hidden.slice(0, L - 1), denseLayer(n, top.outDim, W, Float64Array.from(top.biases))];
    for (const u of pairs) {
      const halfWidth = exactReach(L, u.neuron);
      const exact = deepestJointInput(await loadMilpSolver(), model, u.neuron, u.input, { halfWidth, timeLimit: EXACT_SEARCH_SECONDS, gap: EXACT_SEARCH_GAP });
      if (exact.kind === 'found') log(`layer ${L} neuron ${u.neuron + 1}: its unseen weight from layer-${L - 1} neuron ${u.input + 1} acts where the probes did not reach (both on at |x| = ${hypot(exact.input).toExponential(2)}, margin ${exact.margin.toExponential(2)})`);
      else kept.push(u);
      if (exact.kind === 'none') provedNowhere.set(`${u.neuron}:${u.input}`, halfWidth);
    }
    return kept;
  };
  /**
   * Weights no boundary showed, from the black box's outputs where they act (unseenWeightsFromOutputs;
   * middle layers, and the last layer's that no sample shows): a neuron on wherever its input is (an
   * input on a narrow cone) never has its boundary there, and its weight from it moves every deeper
   * layer there (10-15-15-15-15-1 carlini 1: a layer-3 neuron on at every input of a layer-2
   * neuron's 0.04 % cone). Points where both are on as the model stands (query-free): among random
   * inputs at 3, 10 and 30 domain scales, the deepest inside both (jointActivePoint, from the neuron's
   * points and where its input carries its layer alone, dominantPoints, or was found), and around
   * them. Kept when the model then matches the black box at all of them to 1e-9 of the output scale,
   * and those inputs join the samples (the polish refines the weights with the rest). Also for last-
   * layer weights barely seen (`seen` names them in the report). Returns the weights fitted (none
   * act: nothing changes), undefined when nothing was kept.
   */
  const fitWhereTheyAct = async (output: DenseLayer, pairs: UnseenPair[], seen = 'never seen', apart: ReadonlyMap<UnseenPair, readonly number[]> = new Map()): Promise<UnseenPair[] | undefined> => {
    const r = rng.fork('unseen weights from outputs');
    const starts0 = Array.from({ length: 64 }, () => r.gaussianArray(n0).map((v) => v * domainScale));
    const scan = [3, 10, 30].flatMap((sc) => Array.from({ length: 1024 }, () => r.gaussianArray(n0).map((v) => v * sc * domainScale)));
    const scanned = scan.map((x) => localValues(hidden, x).zetas);
    const xs: Float64Array[] = [];
    // Query-free, once a layer: where each neuron of layer j-1 carries it alone (out to 10 domain
    // scales: an input found far out acts far out).
    const dominantOf = new Map<number, { neuron: number; point: Float64Array }[]>();
    // Points around x (half its depth inside both) where z and i stay on.
    const around = (x: Float64Array, depth: number, on: [number, number][], count: number) => {
      for (let k = 0; k < count; k++) {
        const d = r.gaussianArray(n0), dn = hypot(d);
        const y = x.map((v, q) => v + (0.5 * depth * d[q]) / dn);
        const st = localValues(hidden, y);
        if (on.every(([l, z]) => st.zetas[l - 1][z] > 0)) xs.push(y);
      }
    };
    const pointsOfPair = new Map<UnseenPair, Float64Array[]>();
    for (const u of pairs) {
      const j = u.layer, upto = hidden.slice(0, j), i = u.input, from = xs.length;
      const both: [number, number][] = [[j, u.neuron], [j - 1, i]];
      xs.push(...spreadByIndex(scan.filter((_, k) => scanned[k][j - 1][u.neuron] > 0 && scanned[k][j - 2][i] > 0), 8));
      if (!dominantOf.has(j - 1)) dominantOf.set(j - 1, dominantPoints(hidden.slice(0, j - 1), starts0, { domainScale, radii: [1, 3, 10] }));
      const whereOn = [...(activeAt.get(j - 1)?.get(i) ?? []), ...dominantOf.get(j - 1)!.filter((d) => d.neuron === i).map((d) => d.point)].slice(0, 8);
      for (const x of whereOn) {
        const st = localState(hidden, x), zi = st.zetas[j - 2][i], g = hypot(st.grads[j - 2].subarray(i * n0, (i + 1) * n0));
        if (!(zi > 0 && g > 0)) continue;
        xs.push(x);
        around(x, zi / g, [[j - 1, i]], 3);
      }
      const own = spreadByIndex(pointsOfLayer(j)?.[u.neuron] ?? [], 4);
      const reach = Math.max(3 * Math.sqrt(n0) * domainScale, 1.5 * Math.max(0, ...own.map(hypot)));
      const joint = jointActivePoint(upto, u.neuron, i, [], [...own, ...whereOn], reach) ?? (await exactJointStart(upto, u.neuron, i));
      if (joint) {
        xs.push(joint.point);
        around(joint.point, joint.depth, both, 7);
      }
      // A weight the samples give only in combination with others' (same layer): where z and i are on
      // and those neurons off (an exact search), so that the fit sees it on its own.
      const keepOff = apart.get(u) ?? [];
      if (keepOff.length > 0) {
        const sep = deepestJointInput(await loadMilpSolver(), upto, u.neuron, i, { halfWidth: exactReach(j, u.neuron), offAbove: keepOff, timeLimit: EXACT_SEARCH_SECONDS });
        if (sep.kind === 'found') {
          const st = localState(upto, sep.input);
          const depthOf = (l: number, k: number, sign: number) => (sign * st.zetas[l][k]) / (hypot(st.grads[l].subarray(k * n0, (k + 1) * n0)) || Infinity);
          const depth = Math.min(depthOf(j - 1, u.neuron, 1), depthOf(j - 2, i, 1), ...keepOff.map((k) => depthOf(j - 1, k, -1)));
          xs.push(sep.input);
          const at = xs.length;
          around(sep.input, depth, both, 7);
          // around keeps z and i on; those that switched a kept-off neuron on go.
          for (let q = xs.length - 1; q >= at; q--) if (keepOff.some((k) => localValues(hidden, xs[q]).zetas[j - 1][k] > 0)) xs.splice(q, 1);
          log(`layer ${j} neuron ${u.neuron + 1}: ${xs.length - at + 1} inputs where its input ${i + 1} is on and neurons ${keepOff.map((k) => k + 1).join(', ')} are off (an exact search)`);
        }
      }
      pointsOfPair.set(u, xs.slice(from));
    }
    const what = pairs.every((u) => u.layer < L) ? 'middle-layer' : `layer-${L}`;
    const ys = await outputsAt(`${what} ${seen === 'never seen' ? 'unseen' : seen} weights: outputs where they act`, xs);
    if (!ys) return undefined;
    const fit = unseenWeightsFromOutputs([...hidden, output], pairs, xs, ys, { scale: outputScale });
    const acting = pairs.filter((_, k) => fit.acting[k]);
    // Exact there, and every acting weight given by the points on its own: a fit of weights the
    // points give only in combination lands on one of many (10-15-15-15-15-1 rk 2: two weights from
    // one input, 1.98e4 and off by 1, with the misfit at 7.5e-11).
    const combined = pairs.filter((_, k) => fit.undetermined[k]);
    const exact = fit.after <= 1e-9 && combined.length === 0;
    log(`${what} ${seen === 'never seen' ? 'unseen' : seen} weights: ${acting.length} of ${pairs.length} act at ${xs.length} inputs where they may; misfit there ${fit.before.toExponential(1)} -> ${fit.after.toExponential(1)} (${fit.iterations} steps)${combined.length > 0 ? `, ${combined.map((u) => `neuron ${u.neuron + 1} <- ${u.input + 1}`).join(', ')} given only in combination` : ''}${exact ? '' : ': not kept'}`);
    if (!exact) return undefined;
    hidden.splice(0, hidden.length, ...fit.layers.slice(0, -1));
    if (acting.length > 0) {
      samplePoints.push(...xs);
      sampleOutputs.push(...ys);
    }
    for (const [k, u] of pairs.entries()) {
      if (!fit.acting[k]) continue;
      log(`layer ${u.layer} neuron ${u.neuron + 1}: its weight from layer-${u.layer - 1} neuron ${u.input + 1} from outputs where both act (${fit.weights[k].toExponential(3)})`);
      actedAt.set(pairKey(u), pointsOfPair.get(u) ?? []);
      // The fitted value is the row's from now on: a pooled solve that does not see the column keeps it.
      for (const p of unseenPairs) if (p.layer === u.layer && p.neuron === u.neuron && p.input === u.input) p.prior = true;
    }
    if (acting.length > 0) warnings.push(`${acting.length} ${what} weights ${seen} on their boundaries were fitted to the black box's outputs where they act`);
    return acting;
  };
  /**
   * Weights fitted to the outputs where they act (fitWhereTheyAct) rest on a few inputs far out
   * (10-15-15-15-15-1 rk 3: two layer-4 weights acting only at 200-1000 domain scales, 6e-11 and
   * 1.7e-10 off after the polish). Where the neuron's boundary passes with the input on, a kink
   * gives the weight exactly as any unseen weight's kink does: c_zi = -(row . h + b) / h_i there,
   * the rest of the row known. The places: points on z's boundary as it now stands (the fitted value
   * within ~1e-10) with i on: the centres of the pieces of the inputs where both act, where that
   * boundary crosses them (an LP each), else from the exact search (onBoundary, boxes of two sizes;
   * seconds each). Short segments across it along z's gradient less its part along i's (h_i held),
   * half as long as the nearest other boundary of the model along them, so that the one kink near
   * the middle is z's. Kinks whose values agree with the fitted one to 1e-6 (a kink of another
   * neuron agrees with nothing) set the weight, their median. Returns how many weights were set.
   */
  const kinksWhereTheyAct = async (pairs: readonly UnseenPair[]): Promise<number> => {
    const segs: T.SegmentKinksInput[] = [], owner: UnseenPair[] = [];
    for (const u of pairs) {
      const j = u.layer, z = u.neuron, i = u.input, upto = hidden.slice(0, j), reach = exactReach(j, z);
      // First the pieces of the inputs where both act (an LP each), then the search.
      const solver = await loadMilpSolver();
      const places: Float64Array[] = [];
      for (const x of spreadByIndex(actedAt.get(pairKey(u)) ?? [], 8)) {
        const c = places.length < 2 ? pieceCentre(solver, upto, z, i, x, { halfWidth: reach, onBoundary: true }) : undefined;
        if (c && !places.some((p) => hypot(p.map((v, d) => v - c[d])) <= 1e-6 * hypot(c))) places.push(c);
      }
      for (const box of places.length > 0 ? [] : [1, 1 / 4]) {
        const at = deepestJointInput(solver, upto, z, i, { halfWidth: box * reach, onBoundary: true, awayFromOthers: true, timeLimit: EXACT_SEARCH_SECONDS, gap: EXACT_SEARCH_GAP });
        if (at.kind === 'found') places.push(at.input);
      }
      for (const x of places) {
        const st = localState(upto, x);
        const dir = withoutPartAlong(st.grads[j - 1].subarray(z * n0, (z + 1) * n0), st.grads[j - 2].subarray(i * n0, (i + 1) * n0));
        const dn = hypot(dir);
        if (!(dn > 0)) continue;
        // Half the distance along dir to the nearest other boundary of the model (its piece at x).
        let room = hypot(x);
        st.zetas.forEach((zeta, l) => {
          for (let k = 0; k < zeta.length; k++) {
            if (l === j - 1 && k === z) continue;
            let rate = 0;
            for (let d = 0; d < n0; d++) rate += st.grads[l][k * n0 + d] * dir[d];
            if (Math.abs(rate) > 0) room = Math.min(room, Math.abs(zeta[k]) / (Math.abs(rate) / dn));
          }
        });
        const half = 0.5 * room;
        segs.push({ env, tol, origin: x.map((v, d) => v - (half * dir[d]) / dn), direction: dir.map((v) => (2 * half * v) / dn) });
        owner.push(u);
      }
    }
    if (segs.length === 0) return 0;
    const kinks = (await guard(dispatch.run(`layer ${L}: kinks where fitted weights act`, segs.map((input) => ({ kind: TaskKind.segmentKinks, input }))))) as T.SegmentKinksOutput[] | undefined;
    if (!kinks) return 0;
    let set = 0;
    for (const u of pairs) {
      const j = u.layer, below = hidden.slice(0, j - 1), top = hidden[j - 1], n = top.inDim, z = u.neuron, i = u.input;
      const was = top.weights[z * n + i];
      const values = kinks.flatMap((o, q) => (owner[q] === u ? o.kinks : [])).flatMap((k) => {
        const h = localValues(below, k.point).activations[j - 2];
        if (!(h[i] > 0)) return [];
        let v = top.biases[z];
        for (let d = 0; d < n; d++) if (d !== i) v += top.weights[z * n + d] * h[d];
        const c = -v / h[i];
        return Math.abs(c - was) <= 1e-6 * Math.max(1, Math.abs(was)) ? [c] : [];
      }).sort((a, b) => a - b);
      if (values.length === 0) continue;
      const c = values[Math.floor(values.length / 2)];
      const W = Float64Array.from(top.weights);
      W[z * n + i] = c;
      hidden[j - 1] = denseLayer(n, top.outDim, W, Float64Array.from(top.biases));
      set++;
      log(`layer ${j} neuron ${z + 1}: ${values.length} kinks where it acts give its weight from layer-${j - 1} neuron ${i + 1} (moved ${(c - was).toExponential(1)}; the kinks' values within ${(values[values.length - 1] - values[0]).toExponential(1)})`);
    }
    return set;
  };
  const misfitLeftToUnseen = await rareNeuronRounds();
  if (L >= 3 && !stopped && unseenPairs.some((p) => p.layer === L && rareRows.has(p.neuron))) {
    // Weights the traces of rows the rare rounds added never showed: segments where they act, as
    // for every layer (function values below pin them to ~1e-10 only: 10-20-20-20-1 carlini 1).
    // Those of the other rows were searched already (again: 10-15-15-15-15-1 rk 1 spent 150k
    // queries on 32 weights that three more rounds left as unseen as before).
    const before = unseenPairs.filter((p) => p.layer === L && rareRows.has(p.neuron)).length;
    await completeUnseen(L, (u) => rareRows.has(u.neuron));
    // The rounds stopped on weights not yet seen: once some are, the misfit is what they leave, and
    // a neuron still missing in a narrow cone shows only there (10-15-15-15-15-1 carlini 3: no
    // sample where those inputs are all off lies in the cone of a layer-4 neuron active on 0.4 %).
    const after = unseenPairs.filter((p) => p.layer === L && rareRows.has(p.neuron)).length;
    if (misfitLeftToUnseen && after < before && !stopped) {
      for (const j of [...rareUnseen]) if (!unseenPairs.some((p) => p.layer === L && p.input === j && rareRows.has(p.neuron))) rareUnseen.delete(j);
      log(`layer ${L}: ${before - after} of ${before} weights the rare-neuron rounds left unseen are now seen: the rounds go on`);
      await rareNeuronRounds();
      if (unseenPairs.some((p) => p.layer === L && rareRows.has(p.neuron))) await completeUnseen(L, (u) => rareRows.has(u.neuron));
    }
  }
  if (!stopped) {
    refineStackFilled();
    polishRows();
  }
  const lastUnseen = unseenPairs.filter((p) => p.layer === L && L >= 2);
  if (L === 1 && wide && wide.failed.length === 0 && wide.signMargin !== NOT_MEASURED) {
    // The refinement measured every sign (each plane switched on alone) and its output layer
    // replaces the fit below: the region Jacobians only check them.
    const flips = Uint8Array.from(wide.signs, (sg) => (sg < 0 ? 1 : 0));
    const residual = flipsResidual(planes, l1.regions, m, flips);
    report.signs = { method: 'measured', margin: wide.signMargin, residual, free: 0 };
    if (wide.signMargin > 1e-5 || residual > 1e-6) warnings.push(`layer 1 signs are uncertain (measured: margin ${wide.signMargin.toExponential(2)}, region residual ${residual.toExponential(2)})`);
    hidden[0] = flipRows(hidden[0], flips);
  } else if (L === 1) {
    try {
      const signs = firstLayerSigns(planes, l1.regions, m);
      report.signs = { method: signs.method, margin: signs.margin, residual: signs.residual, free: signs.free };
      if (signs.margin > 0.1 || signs.residual > 1e-6) warnings.push(`layer 1 signs are uncertain (margin ${signs.margin.toExponential(2)}, residual ${signs.residual.toExponential(2)})`);
      hidden[0] = flipRows(hidden[0], signs.flips);
    } catch (e) {
      warnings.push(`layer 1 signs not solved: ${(e as Error).message}`);
      missing.push('signs of layer 1');
    }
  } else {
    const sampleOutputsU = sampleOutputs;
    try {
      const skip = [...new Set(lastUnseen.filter((u) => !u.prior).map((u) => u.input))];
      let signs: ReturnType<typeof lastLayerSigns> | undefined, firstError: unknown;
      try {
        signs = lastLayerSigns(hidden, samplePoints, sampleOutputsU, false, skip);
      } catch (e) {
        if (skip.length === 0) throw e;
        firstError = e;
      }
      if (skip.length > 0 && (!signs || signs.margin > 0.1 || signs.residual > 1e-6)) {
        // Too few samples with every such input off: all samples, the affected components still left out.
        try {
          const all = lastLayerSigns(hidden, samplePoints, sampleOutputsU, false, skip, false);
          if (!signs || all.margin + all.residual < signs.margin + signs.residual) signs = all;
        } catch (e) {
          // The all-samples solve is the one with the most evidence: its reason is the one to give.
          if (!signs) throw e;
        }
      }
      if (!signs) throw firstError;
      layers[L - 1].signs = { method: `output ${signs.method}`, margin: signs.margin, residual: signs.residual, free: signs.free };
      if (signs.margin > 0.1 || signs.residual > 1e-6 || signs.fitResidual > 1e-6) warnings.push(`layer ${L} signs are uncertain (margin ${signs.margin.toExponential(2)}, residual ${signs.residual.toExponential(2)}, fit ${signs.fitResidual.toExponential(2)})`);
      // Section 5: an exact unsigned fit whose h^(L-1) block no flips explain holds a layer-L neuron
      // active on every sample (missingActiveRow needs two outputs to read its row; with one, every
      // flip pattern fits with some row for it: 6-10-10-10-1 rk 15, 10-20-20-20-1 rk 2).
      if (signs.fitResidual <= 1e-9 && signs.residual > 1e-6) missing.push(`layer ${L}: a neuron active on every sample, absorbed in the output fit's h^(${L - 1}) block (no sign pattern of layer ${L} explains that block: residual ${signs.residual.toExponential(2)})${m === 1 ? '; with one output its row cannot be told from sign flips of the others' : ''}`);
      hidden[L - 1] = flipRows(hidden[L - 1], signs.flips);
    } catch (e) {
      warnings.push(`layer ${L} signs not solved: ${(e as Error).message}`);
      missing.push(`signs of layer ${L}${e instanceof SignsUndeterminedError ? ` (no sign pattern explains the output fit's h^(${L - 1}) block: a layer-${L} neuron active on every sample may be absorbed in it${m === 1 ? ', and with one output its row cannot be told from sign flips of the others' : ''})` : ''}`);
    }
  }
  if (L >= 2) {
    // A last-layer neuron found from kinks has a kink in the output, so a nonzero output weight: one
    // with none (below 1e-9 of the largest) is a phantom of the layer search (e.g. a trace whose
    // inputs barely switched) and is dropped, reported.
    const ysP = sampleOutputs;
    const fitP = fitOutputLayer(hidden, samplePoints, ysP);
    const top = hidden[L - 1], U = fitP.layer.weights, nL = top.outDim;
    const umax = Math.max(...Array.from(U, Math.abs));
    const dead = Array.from({ length: nL }, (_, z) => z).filter((z) => Array.from({ length: m }, (_, o) => Math.abs(U[o * nL + z])).every((u) => u < 1e-9 * umax));
    if (fitP.relativeResidual <= 1e-6 && dead.length > 0 && dead.length < nL) {
      const keep = Array.from({ length: nL }, (_, z) => z).filter((z) => !dead.includes(z));
      const n = top.inDim;
      const W = new Float64Array(keep.length * n), B = new Float64Array(keep.length);
      keep.forEach((z, r) => { W.set(top.weights.subarray(z * n, (z + 1) * n), r * n); B[r] = top.biases[z]; });
      hidden[L - 1] = denseLayer(n, keep.length, W, B);
      layers[L - 1].width = keep.length;
      lastLayerPoints = keep.map((z) => lastLayerPoints[z]);
      for (let i = lastUnseen.length - 1; i >= 0; i--) {
        if (dead.includes(lastUnseen[i].neuron)) lastUnseen.splice(i, 1);
        else lastUnseen[i] = { ...lastUnseen[i], neuron: keep.indexOf(lastUnseen[i].neuron) };
      }
      warnings.push(`layer ${L}: ${dead.length} neurons with no output weight (below 1e-9 of the largest) were dropped as phantoms`);
    }
  }
  let noEffect: typeof lastUnseen = [];
  let refit: DenseLayer | undefined;
  if (lastUnseen.length > 0) {
    // Section 4, with the signs known: inputs where each unseen weight acts (found on the known
    // layers, a few queries a pair), so that the refit below pins it from function values. A second
    // round, with each weight known to its first refit (or its prior), steps farther off j's
    // boundary: a larger h_j moves the output more for the same weight error.
    let intervals: { lo: number; hi: number }[] | undefined;
    if (lastUnseen.every((u) => u.prior)) {
      refit = hidden[L - 1];
      intervals = lastUnseen.map((u) => knownWithin(hidden[L - 1], u));
    } else {
      const probes = unseenWeightProbes(hidden, lastUnseen, lastLayerPoints, { domainScale });
      noEffect = lastUnseen.filter((_, i) => probes[i].reach <= 0);
      await withOutputs(`layer ${L}: samples where unseen weights act`, probes.flatMap((p) => p.points));
      const first = fillUnseenWeights(hidden, lastUnseen, samplePoints, sampleOutputs);
      if (first.after < 1e-9) {
        refit = first.layer;
        intervals = lastUnseen.map((u) => (first.undetermined.includes(u) ? { lo: -4, hi: 4 } : knownWithin(first.layer, u)));
      }
    }
    if (intervals && !stopped) {
      const second = unseenWeightProbes(hidden, lastUnseen, lastLayerPoints, { domainScale, intervals });
      if (lastUnseen.every((u) => u.prior)) noEffect = lastUnseen.filter((_, i) => second[i].reach <= 0);
      await withOutputs(`layer ${L}: samples where unseen weights act (second round)`, second.flatMap((p, i) => (intervals![i].hi - intervals![i].lo > 1 ? [] : p.points)));
    } else refit = undefined;
    noEffect = await actingNowhere(noEffect, lastUnseen);
    log(`layer ${L}: samples where ${lastUnseen.length} unseen weights act (${noEffect.length} act nowhere the search reached)`);
  }
  // Section 6: a last-layer neuron whose boundary points pin one direction of (row, bias) only weakly
  // (a boundary seen in a thin region: few activation patterns) is refined along its least-pinned
  // direction from function values and its points together, each weighted by its own spread
  // (fillUnseenWeights), with the unseen weights.
  const weak: WeakDirection[] = [], weakPinning = new Map<number, number>();
  let weaklyPinned = 0, lastFill: ReturnType<typeof fillUnseenWeights> | undefined;
  if (L >= 2) {
    for (let z = 0; z < hidden[L - 1].outDim; z++) {
      if (!lastLayerPoints[z] || lastLayerPoints[z].length < 3) continue;
      const sol = solveCandidate(hidden.slice(0, L - 1), lastLayerPoints[z], { signed: true, weak: true });
      // Under 1e-2 with enough points to weigh them (under 1e-4 only, 40-20-10-10-1 rk 3 kept a row
      // pinned to 1.0e-4 4.8e-11 off: 33.5 bits, 36.0 so); function values alone (too few points)
      // only under 1e-4, as before (alone, they moved a row pinned to 1e-3 from 2e-11 to 1.5e-10).
      const kept = lastLayerPoints[z].filter((_, i) => !sol.droppedPoints.includes(i));
      if (!sol.weakDirection || !(sol.closure < 1e-9)) continue;
      if (sol.pinning < 1e-4) weaklyPinned++;
      if (sol.pinning < 1e-4 || (sol.pinning < 1e-2 && kept.length > hidden[L - 1].inDim + 1)) {
        weak.push({ neuron: z, direction: sol.weakDirection, points: kept });
        weakPinning.set(z, sol.pinning);
      }
    }
    if (weak.length > 0) log(`layer ${L}: ${weak.length} neurons pinned to < 1e-2 by their boundary points (${weaklyPinned} to < 1e-4), refined from function values and their points`);
    // The function values that refine such a neuron are those where it is on: inputs spread over where
    // it is on as it stands (query-free choice), asked before the fill. From three hidden layers up
    // they are part of the polish's samples, not more (10-15-15-15-15-1 carlini 1 37.1 -> 37.9 bits,
    // 20-30-30-20-1 rk 2 37.7 -> 42.1 (39.0 with other random inputs), 10-20-20-20-1 rk 2 38.2 ->
    // 39.1, queries within 7).
    const rw = rng.fork('weakly pinned samples');
    const inside = weak.filter((w) => weakPinning.get(w.neuron)! < 1e-4).flatMap((w) => {
      const on = [1, 3, 10].flatMap((sc) => Array.from({ length: 2048 }, () => rw.gaussianArray(n0).map((v) => v * sc * domainScale)))
        .filter((x) => localValues(hidden, x).zetas[L - 1][w.neuron] > 0);
      return spreadByIndex(on, WEAK_INSIDE);
    });
    if (inside.length > 0 && !stopped) await withOutputs(`layer ${L}: samples inside weakly pinned neurons`, inside);
  }
  if (lastUnseen.length > 0 || weak.length > 0) {
    // Last resort (section 4), with the signs known: a one-dimensional refit per weight on cached
    // samples, reported. After a first fill, Gauss-Newton steps from it (the scan is done).
    const ys = sampleOutputs;
    const filled = refit || lastUnseen.length === 0 ? fillUnseenWeights([...hidden.slice(0, L - 1), refit ?? hidden[L - 1]], lastUnseen, samplePoints, ys, 4, 0, weak) : fillUnseenWeights(hidden, lastUnseen, samplePoints, ys, 4, 8, weak);
    lastFill = filled;
    const top = filled.layer, n = top.inDim;
    const Wt = Float64Array.from(top.weights), bt = Float64Array.from(top.biases);
    for (let z = 0; z < top.outDim; z++) {
      const s = hypot(Wt.subarray(z * n, (z + 1) * n));
      for (let j = 0; j < n; j++) Wt[z * n + j] /= s;
      bt[z] /= s;
    }
    hidden[L - 1] = denseLayer(n, top.outDim, Wt, bt);
    if (weaklyPinned > 0) warnings.push(`layer ${L}: ${weaklyPinned} neurons weakly pinned by their boundary points (pinning < 1e-4) were refined along that direction from function values and their points (output fit residual ${filled.before.toExponential(2)} -> ${filled.after.toExponential(2)})`);
  }
  const slopeCorrected = lastUnseen.length > 0 && !stopped && lastFill ? await correctFromSlopes(L, lastUnseen) : [];
  // A row pinned under 1e-3 along (almost) one weight is a weight barely seen: the output's slope
  // jumps across that input's boundary give it as they give unseen ones (20-30-30-20-1 rk 1: a
  // layer-3 row 3e-11 off, 99.4 % of it on one weight that neither its boundary nor the outputs show;
  // 10-15-15-15-15-1 carlini 3: a layer-4 row pinned to 2.8e-4, 98.6 % on one weight, 2.1e-11 off).
  // Those under 1e-4 first, on their own: measured in one batch with the rest, 20-30-30-20-1 rk 1's
  // weight was not among those the batch corrected and stayed 6e-11 off.
  const barelySeen = (lo: number, hi: number) => weak.flatMap((w) => {
    const j = barelySeenWeight(w.direction, hidden[L - 1].inDim), pinning = weakPinning.get(w.neuron)!;
    return j !== undefined && pinning >= lo && pinning < hi && !lastUnseen.some((u) => u.neuron === w.neuron) ? [{ layer: L, neuron: w.neuron, input: j }] : [];
  });
  let barelyCorrected = 0;
  for (const [lo, hi] of [[0, 1e-4], [1e-4, 1e-3]]) {
    const pairs = barelySeen(lo, hi);
    if (pairs.length > 0 && !stopped) barelyCorrected += (await correctFromSlopes(L, pairs)).length;
  }
  if (barelyCorrected > 0) warnings.push(`layer ${L}: ${barelyCorrected} weights barely seen on their boundaries corrected from the output's slope jumps across their inputs' boundaries`);
  // And fitted again to outputs where they act, those inputs kept as samples: the slopes leave such
  // a weight ~1e-10 off where the samples barely see it, and the polish pins it with them
  // (20-30-30-20-1 rk 2: a late neuron's weight 1.2e-10 off, 32.9 bits; 39.0 so). Not while weights
  // of the layer are left undetermined or confounded: the fit there absorbs their errors too
  // (10-15-15-15-15-1 rk 2: layer 4 from 37.7 to 9.1 bits).
  if (!stopped && !(lastFill && lastFill.undetermined.length + lastFill.confounded.length > 0)) {
    const bare = [...barelySeen(0, 1e-4), ...barelySeen(1e-4, 1e-3)];
    const fit = bare.length > 0 ? fitOutputLayer(hidden, samplePoints, sampleOutputs, { weightFar: true }) : undefined;
    if (fit && fit.relativeResidual <= 1e-9) await fitWhereTheyAct(fit.layer, bare, 'barely seen');
  }
  const name = (u: { neuron: number; input: number }) => `neuron ${u.neuron + 1} <- ${u.input + 1}`;
  if (lastUnseen.length > 0 && lastFill && lastFill.after > 1e-9) missing.push(`layer ${L}: unseen weights (${lastUnseen.map(name).join(', ')}) could not be filled from function values`);
  if (lastUnseen.length > 0) {
    const filled = lastFill!;
    warnings.push(`layer ${L}: ${lastUnseen.length} weights never seen on their boundaries (${lastUnseen.map(name).join(', ')}): ${lastUnseen.length - filled.undetermined.length} filled from function values by a one-dimensional refit, ${filled.undetermined.length} not determined by the samples (output fit residual ${filled.before.toExponential(2)} -> ${filled.after.toExponential(2)})`);
    // Fitted only in combination with other unseen weights, and not measured from the slopes since:
    // the fill's values are one of many that fit the samples.
    const sameAs = (a: { neuron: number; input: number }) => (b: { neuron: number; input: number }) => a.neuron === b.neuron && a.input === b.input;
    const confounded = filled.confounded.filter((c) => !slopeCorrected.some(sameAs(c.weight)));
    // Those no sample shows, and those the samples show only in combination with others, from
    // outputs where both z and the input are on (the deepest such input and around it;
    // 10-15-15-15-15-1 rk 1: a layer-4 neuron on only far out, its input on at every input of the
    // domain and off wherever the neuron's boundary was traced; rk 2: two weights from one input
    // confounded in the samples, each acting on its own elsewhere).
    const open = [...filled.undetermined, ...confounded.map((c) => c.weight)].filter((u) => !noEffect.some(sameAs(u))).map((u) => ({ layer: L, neuron: u.neuron, input: u.input }));
    const fit = open.length > 0 && !stopped ? fitOutputLayer(hidden, samplePoints, sampleOutputs, { weightFar: true }) : undefined;
    const apart = new Map(open.flatMap((u) => {
      const c = confounded.find((c) => sameAs(c.weight)(u));
      const others = c ? [...new Set(c.with.map((w) => w.neuron).filter((k) => k !== u.neuron))] : [];
      return others.length > 0 ? [[u, others] as const] : [];
    }));
    const done = fit && fit.relativeResidual <= 1e-9 ? await fitWhereTheyAct(fit.layer, open, 'never seen', apart) : undefined;
    const sharpened = done && done.length > 0 && !stopped ? await kinksWhereTheyAct(done) : 0;
    if (sharpened > 0) warnings.push(`layer ${L}: ${sharpened} of those weights then given by kinks where they act`);
    for (const c of confounded) {
      if (done?.some(sameAs(c.weight))) continue;
      missing.push(`layer ${L} ${name(c.weight)}: the samples give this weight only in combination with ${c.with.length > 0 ? c.with.map(name).join(', ') : 'the other weights'} (their columns in the output fit are dependent there): it may be off`);
    }
    for (const u of filled.undetermined) {
      if (done?.some(sameAs(u))) continue;
      // No input within the search radius where z is active on j's boundary: the weight does not act there.
      const proof = provedNowhere.get(`${u.neuron}:${u.input}`);
      if (proof !== undefined) warnings.push(`layer ${L} neuron ${u.neuron + 1}: the weight from layer-${L - 1} neuron ${u.input + 1} acts nowhere: no input with |x_d| <= ${proof.toPrecision(3)} has both on as the other weights stand (an exact search; left at 0)`);
      else if (noEffect.some(sameAs(u))) warnings.push(`layer ${L} neuron ${u.neuron + 1}: the weight from layer-${L - 1} neuron ${u.input + 1} acts nowhere the search reached (no input found where both are active; left at 0)`);
      else missing.push(`layer ${L} neuron ${u.neuron + 1}: the weight from layer-${L - 1} neuron ${u.input + 1} is seen neither on its boundary nor in the samples (left at 0)`);
    }
  }
  if (slopeCorrected.length > 0) warnings.push(`layer ${L}: ${slopeCorrected.length} of those weights corrected from the output's slope jumps across their inputs' boundaries`);
  if (seeds.length > 0 && unexplainedLeft === 0) warnings.push(`${seeds.length} sampled kinks are explained by no recovered neuron (depth limit ${maxDepth})`);
  seeds = seeds.filter((sd) => !hidden.some((_, l) => explainedByLayer(hidden, l, sd.point, domainScale)));
  const stillMissed = missedBoundaries.filter((mb) => mb.layer > hidden.length || !mb.points.every((p) => explainedByLayer(hidden, mb.layer - 1, p, domainScale)));
  for (const layer of new Set(stillMissed.map((mb) => mb.layer))) {
    const count = stillMissed.filter((mb) => mb.layer === layer).length;
    warnings.push(`${count} traces followed a layer-${layer} boundary that no recovered layer-${layer} neuron explains (a missed layer-${layer} neuron)`);
    missing.push(`layer ${layer}: ${count} traced boundaries are not among its recovered neurons`);
  }
  if (L >= 2 && !stopped) {
    // Section 5: the output weight of a last-layer neuron active on few samples, and there only just
    // (one found late, active far out), rests on those few (40-20-10-10-1 rk 2: two rows active on 4
    // samples each with h < 0.03, their output weights 1.5e-10 off). Samples a domain scale past its
    // boundary points along its gradient, where it is well on, pin it as the others are (8 queries
    // a neuron); not where an input whose weight into it was never seen acts (the row is not exact
    // there).
    const top = hidden[L - 1];
    const on = samplePoints.map((x) => localValues(hidden, x).activations[L - 1]);
    const deep: Float64Array[] = [];
    for (let z = 0; z < top.outDim; z++) {
      const pts = lastLayerPoints[z] ?? [];
      if (pts.length === 0 || on.filter((h) => h[z] > 0).length >= WELL_PINNED) continue;
      const blind = lastUnseen.filter((u) => u.neuron === z).map((u) => u.input);
      for (const p of spreadByIndex(pts, 8)) {
        const g = localState(hidden, p).grads[L - 1].subarray(z * n0, (z + 1) * n0), gn = hypot(g);
        if (!(gn > 0)) continue;
        const x = p.map((v, d) => v + (domainScale * g[d]) / gn);
        const st = localValues(hidden, x);
        // Nor where another row's weight the fill could not determine acts (6-10-10-10-1 rk 1: three
        // such weights, said to act nowhere the search reached, acted at these samples: fit 3e-4).
        const unsure = (lastFill?.undetermined ?? []).some((u) => st.activations[L - 1][u.neuron] > 0 && st.activations[L - 2][u.input] > 0);
        if (st.activations[L - 1][z] > 0 && blind.every((i) => st.activations[L - 2][i] === 0) && !unsure) deep.push(x);
      }
    }
    if (deep.length > 0) log(`layer ${L}: ${deep.length} samples deep in the active side of neurons active on fewer than ${WELL_PINNED} samples`);
    await withOutputs(`layer ${L}: samples where sparsely sampled neurons are well on`, deep);
  }
  let out: { layer: DenseLayer; relativeResidual: number };
  if (L === 1 && wide && wide.failed.length === 0) {
    // The jumps re-measured by the refinement are exact to ~1e-13; least squares over the few
    // hundred cached samples of a wide layer is conditioned ~1e-5 and would cost ~10 bits. The
    // samples only check the measured layer.
    const exact = oneHiddenLayerFromPlanes(planes, wide);
    hidden[0] = exact.hidden;
    out = { layer: exact.output, ...outputLayerResidual(hidden, exact.output, samplePoints, sampleOutputs) };
  } else out = fitOutputLayer(hidden, samplePoints, sampleOutputs, { weightFar: true });
  if (!stopped && unseenPairs.some((p) => p.layer < L) && out.relativeResidual <= 1e-9) {
    const fitted = await fitWhereTheyAct(out.layer, unseenPairs.filter((p) => p.layer < L && p.layer >= 2));
    if (fitted && fitted.length > 0) {
      out = { layer: out.layer, ...outputLayerResidual(hidden, out.layer, samplePoints, sampleOutputs) };
      for (const u of fitted) unseenPairs.splice(unseenPairs.indexOf(u), 1);
    }
  }
  for (const u of unseenPairs.filter((p) => p.layer < L)) {
    warnings.push(`layer ${u.layer} neuron ${u.neuron + 1}: the weight from layer-${u.layer - 1} neuron ${u.input + 1} is not seen on its boundary (left at 0)`);
    missing.push(`layer ${u.layer} neuron ${u.neuron + 1}: weight from layer-${u.layer - 1} neuron ${u.input + 1} unseen`);
  }
  const params = [...hidden, out.layer].reduce((s, l) => s + l.outDim * (l.inDim + 1), 0);
  // The model before the polish, until inputs no fit has seen say which is better.
  let beforePolish: { hidden: DenseLayer[]; output: typeof out } | undefined;
  if (!stopped && !(L === 1 && wide) && out.relativeResidual <= 1e-9 && params <= (options.polishMaxParams ?? 3000)) {
    // Every layer at once from function values: the geometry leaves each layer ~1e-12 off and the
    // output fit carries it; POLISH_EQUATIONS a parameter pin them jointly. Fresh samples from three
    // hidden layers up, or where the fit shows such errors: depth-3 rows at 35-36 bits fitted to
    // ~1e-12 and rose to 36.6-46.5 bits for ~2 queries a parameter; two-hidden-layer rows, at 40-47
    // bits, fit to 8e-15-3e-13, and there the same cost 3-15 % more queries for 0-3 bits.
    const short = hidden.length >= 3 || out.relativeResidual > 5e-13 ? Math.ceil((POLISH_EQUATIONS * params) / m) - samplePoints.length : 0;
    if (short > 0) {
      const pr = rng.fork('polish samples');
      await withOutputs('polish: samples for the joint fit', Array.from({ length: short }, (_, i) => pr.gaussianArray(n0).map((v) => [1, 3, 10][i % 3] * domainScale * v)));
    }
    // With fewer than two equations a parameter the step moved trained 10-20-20-2 from 39.9 to 37.7 bits.
    if (!stopped && samplePoints.length * m >= 2 * params) {
      // A noisy black box (float32) holds its outputs to its noise floor, not to float64 rounding.
      let p: ReturnType<typeof polishFromOutputs> | undefined;
      try {
        p = polishFromOutputs([...hidden, out.layer], samplePoints, sampleOutputs, { floatRelative: Math.max(1e-15, noise / outputScale) });
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        log(`polish: not done (${e.message})`);
      }
      const keep = p !== undefined && p.after < p.before && p.largestStep < 1e-6;
      if (p) log(`polish: every layer jointly from ${p.used} samples' outputs: fit ${p.before.toExponential(2)} -> ${p.after.toExponential(2)}, largest step ${p.largestStep.toExponential(2)} of a parameter${keep ? '' : ' (not kept)'}`);
      if (p && keep) {
        beforePolish = { hidden: [...hidden], output: out };
        hidden.splice(0, hidden.length, ...p.layers.slice(0, -1));
        out = { layer: p.layers[p.layers.length - 1], ...outputLayerResidual(hidden, p.layers[p.layers.length - 1], samplePoints, sampleOutputs) };
      }
    }
  }
  if (out.relativeResidual > 1e-6) {
    warnings.push(`the output layer does not fit the samples (relative residual ${out.relativeResidual.toExponential(2)}): something is missing`);
    missing.push(`the recovered network does not reproduce the cached samples (relative residual ${out.relativeResidual.toExponential(2)}): a neuron, a weight or a sign is missing or wrong`);
  }
  if (unexplainedLeft > 0 && seeds.length > 0) {
    // Reported either way; missing only when the model does not reproduce the samples either.
    const line = `${seeds.length} sampled kinks are explained by no recovered neuron`;
    if (out.relativeResidual > 1e-9) missing.push(line);
    else warnings.push(`${line}, while the model reproduces every cached sample (kinks placed inexactly, or a neuron active only off the samples)`);
  }
  if (stopped) {
    warnings.push(`the run stopped early: ${stopped.message}`);
    missing.push(`the run stopped before it finished (${stopped.failure.budget ? 'query budget spent' : stopped.failure.name}): deeper layers, refinements or rare neurons may be missing`);
  }
  let network: ReluNetwork = {
    name: 'recovered',
    meta: {},
    layers: [...hidden, out.layer],
  };
  // The last middle-layer check's inputs at 3-30 domain scales that the final model matches: all of
  // them when it missed none, or when the final model matches those it missed (never fitted).
  let farClean = farMisses?.points.length === 0 ? farMisses.checked : 0;
  if (farMisses && farMisses.points.length > 0 && !stopped) {
    const check = compareOnPoints(network, farMisses.points, farMisses.ys, { outputScale, noise });
    if (check.failures.length === 0) farClean = farMisses.checked;
    else {
      warnings.push(`the model disagrees with the black box on ${check.failures.length} of ${check.checked} inputs at 3-30 domain scales that the middle-layer check found missed (worst ${check.worstRelative.toExponential(2)} of the output): a neuron or a weight that acts only there is missing`);
      missing.push(`middle-layer check failed on ${check.failures.length} of ${check.checked} inputs at 3-30 domain scales (worst relative error ${check.worstRelative.toExponential(2)})`);
    }
  }
  if (!stopped) {
    // Independent check on inputs no fit has seen (edges of the recovered arrangement, where a missed
    // rare neuron shows, and typical inputs): a model that disagrees there is not complete.
    // Three hidden layers and more: a neuron of a middle layer that no sample or trace touched hides
    // from the fits below it too (40-20-10-10-1 rk 1 once claimed complete at fidelity 1.8e-2), so
    // the check also looks at 3 and 10 domain scales, where such neurons are active (256 points each).
    const far = hidden.length >= 3 ? { count: 256, scales: [3, 10] } : undefined;
    const checkPoints = freshCheckPoints(hidden, rng.fork('fresh check'), { probeOptions: { domainScale }, ...(far ? { far } : {}) });
    const res = (await guard(dispatch.run('fresh-input check', [{ kind: TaskKind.outputs, input: { env, points: checkPoints } satisfies T.OutputsInput }]))) as T.OutputsOutput[] | undefined;
    if (res && beforePolish) {
      // Held out from the polish: where these fit worse after it, the model before it is kept.
      const prior: ReluNetwork = { ...network, layers: [...beforePolish.hidden, beforePolish.output.layer] };
      const [now, then] = [network, prior].map((net) => compareOnPoints(net, checkPoints, res[0].ys, { outputScale, noise }).worstRelative);
      if (now > then) {
        log(`polish: undone, the fresh inputs fit worse after it (${then.toExponential(2)} -> ${now.toExponential(2)})`);
        network = prior;
        hidden.splice(0, hidden.length, ...beforePolish.hidden);
        out = beforePolish.output;
      }
    }
    if (res) {
      const check = compareOnPoints(network, checkPoints, res[0].ys, { outputScale, noise });
      if (check.failures.length > 0) {
        warnings.push(`the model disagrees with the black box on ${check.failures.length} of ${check.checked} fresh inputs (worst ${check.worstRelative.toExponential(2)} of the output): a neuron is missing`);
        missing.push(`fresh-input check failed on ${check.failures.length} of ${check.checked} inputs (worst relative error ${check.worstRelative.toExponential(2)})`);
      } else {
        // What the checks cannot rule out (section 7's stopping rule): with no disagreement on n
        // independent inputs, a neuron that changes the output on a share p of them is missed with
        // probability (1 - p)^n, below 5 % for p > 3 / n.
        const share = (n: number) => `${(300 / n).toPrecision(2)} %`;
        warnings.push(`no disagreement on ${check.checked} fresh inputs${farClean > 0 ? ` nor on the middle-layer check's ${farClean} at 3, 10 and 30 domain scales` : ''}: a neuron still missing would change the output on fewer than ${share(check.checked)} of such inputs${farClean > 0 ? ` (${share(farClean)} of those far out)` : ''}, at 95 % confidence`);
      }
    } else missing.push('the fresh-input check could not run');
  }
  const complete = missing.length === 0 && out.relativeResidual <= 1e-6;
  return {
    network,
    complete,
    queries: dispatch.queries,
    architecture: [n0, ...hidden.map((l) => l.outDim), m],
    layers,
    warnings,
    missing,
    ...(stopped ? { stopped: stopped.failure } : {}),
  };
}

/** The layer with `rows` (and their biases) appended as new neurons. */
function withRows(layer: DenseLayer, rows: readonly ArrayLike<number>[], biases: readonly number[]): DenseLayer {
  const n = layer.inDim, width = layer.outDim + rows.length;
  const W = new Float64Array(width * n), B = new Float64Array(width);
  W.set(layer.weights);
  B.set(layer.biases);
  rows.forEach((r, i) => { W.set(r, (layer.outDim + i) * n); B[layer.outDim + i] = biases[i]; });
  return denseLayer(n, width, W, B);
}

/** The layer with rows j (and biases) negated where flips[j] = 1. */
function flipRows(layer: DenseLayer, flips: Uint8Array): DenseLayer {
  const W = Float64Array.from(layer.weights), b = Float64Array.from(layer.biases);
  const n = layer.inDim;
  flips.forEach((f, j) => {
    if (!f) return;
    for (let i = 0; i < n; i++) W[j * n + i] = -W[j * n + i];
    b[j] = -b[j];
  });
  return denseLayer(n, layer.outDim, W, b);
}

/** Some neuron of hidden layer index l vanishes at p (|zeta| < 1e-6 domain scales x |grad zeta|). */
function explainedByLayer(hidden: readonly DenseLayer[], l: number, p: Float64Array, domainScale: number): boolean {
  const st = localState(hidden.slice(0, l + 1), p);
  const n0 = p.length, z = st.zetas[l], g = st.grads[l];
  for (let j = 0; j < z.length; j++) {
    const gn = hypot(g.subarray(j * n0, (j + 1) * n0));
    if (gn > 0 && Math.abs(z[j]) < 1e-6 * domainScale * gn) return true;
  }
  return false;
}

/** A trace task's output as the layer search returns it (the seen set back from an array). */
function fromTraceOutput(out: T.TraceLayerOutput): { neurons: LayerNeuron[]; unexplained: Seed[]; traces: number; rejected: string[]; missedPrevious: Float64Array[][] } {
  return { ...out, neurons: out.neurons.map((n) => ({ ...n, seen: new Set(n.seen) })) };
}

/** The trace window at layer 2, where seeds are clustered by neuron, in multiples of traceWave (> 1). */
const CLUSTERED_WAVE = 3;
/** Relative misfit (of the output's size) beyond which an input at a larger scale shows a missed neuron: exact models miss by ~1e-13. */
const MIDDLE_MISFIT = 1e-8;
/** Neurons found late by the middle-layer check at most (each followed by another check). */
const MIDDLE_ROUNDS = 3;
// Random inputs a scale of the middle-layer check (3, 10 and 30 domain scales): 1 query each; 128
// left a layer-4 neuron on at ~0.3 % of them to one input in 384 (10-15-15-15-15-1 rk 1).
const MIDDLE_POINTS = 512;
/** Flip patterns of the one-output search whose lowest points are queried, at most (4 radii each). */
const LOWEST_PATTERNS = 64;
/** Chords per scale on which predictedWhereActive looks for an unseen weight's input active on its neuron's predicted boundary. */
const UNSEEN_CHORDS = 200;
/** Inputs of the domain on which unseenSegments tells a narrow neuron (on at under 1 % of them). */
const NARROW_SAMPLES = 512;
/** Samples a last-layer neuron is active on, at least, before its output weight counts as pinned by them. */
const WELL_PINNED = 16;
/**
 * Output equations a parameter the joint polish is given (samples x outputs). Four rather than two:
 * 10-15-15-15-15-1 carlini 1 35.2 -> 37.1 bits, rk 3 31.9 -> 34.1, 20-30-30-20-1 carlini 2 40.7 ->
 * 44.4, 40-20-10-10-1 carlini 3 39.6 -> 45.3, for ~2 more queries a parameter (20-30-30-20-1 rk 2
 * 39.0 -> 37.7, the one loss; eight gave carlini 1 no more than four).
 */
const POLISH_EQUATIONS = 4;
/** Samples inside each last-layer neuron its boundary points pin to under 1e-4, before the fill. */
const WEAK_INSIDE = 32;

/** Planes re-measured per refinement task: fixed, so the plan (and the result) is the same for any worker count. */
const REFINE_CHUNK = 8;

/**
 * Section 6 for wide inputs as two phases: one task measures the signs and the output bias and
 * checks that the layer is complete (k + 4 queries), then the planes are re-measured in chunks of
 * REFINE_CHUNK, in parallel (each neuron's measurement is independent, with its own random stream).
 */
async function refineFirstLayer(dispatch: Dispatch, env: T.TaskEnv, tol: Tolerances, planes: Hyperplane[]): Promise<T.RefineWideOutput> {
  // The tasks need no boundary points (the refinement only adds one): without them a task is a
  // fifth of the size on 784-128-1 (0.8 instead of 4 MB).
  const bare = planes.map((p) => ({ ...p, points: [] }));
  const [head] = (await dispatch.run('layer 1: refinement signs', [{ kind: TaskKind.refineWide, input: { env, tol, planes: bare, neurons: [] } satisfies T.RefineWideInput }])) as T.RefineWideOutput[];
  if (!head.ok) return head;
  const chunks: number[][] = [];
  for (let start = 0; start < planes.length; start += REFINE_CHUNK) chunks.push(Array.from({ length: Math.min(REFINE_CHUNK, planes.length - start) }, (_, d) => start + d));
  const { signs, bias } = head.report;
  const parts = (await dispatch.run('layer 1: refinement', chunks.map((neurons) => ({ kind: TaskKind.refineWide, input: { env, tol, planes: bare, signs, bias, neurons } satisfies T.RefineWideInput })))) as T.RefineWideOutput[];
  const report: RefineWideReport = { ...head.report, before: Float64Array.from(head.report.before), after: Float64Array.from(head.report.after), failed: [] };
  const merged = planes.slice();
  parts.forEach((part, c) => {
    if (!part.ok) {
      // Left as measured; listed as failed so that nothing downstream trusts them as refined.
      report.failed.push(...chunks[c]);
      return;
    }
    report.refined += part.report.refined;
    report.skipped += part.report.skipped;
    report.failed.push(...part.report.failed);
    report.queries += part.report.queries;
    chunks[c].forEach((j, d) => {
      const p = part.planes[d];
      merged[j] = { ...planes[j], normal: p.normal, offset: p.offset, jump: p.jump, points: [...p.points, ...planes[j].points] };
      report.before[j] = part.report.before[j];
      report.after[j] = part.report.after[j];
    });
  });
  report.failed.sort((a, b) => a - b);
  return { ok: true, planes: merged, report };
}
/** Seconds the exact joint-activity search may spend on one pair before the ascent's verdict stands. */
const EXACT_SEARCH_SECONDS = 30;
/**
 * The exact search stops once its point is within this (relative) of the deepest where the recovery
 * needs only a verdict ('none' stays a proof) or a point it then centres in its piece. Not for the
 * starts of fits to outputs: there less deep points left 10-15-15-15-15-1 rk 3's Gauss-Newton fit
 * at 1.7e-2 (not kept) where the deepest gave 3e-11.
 */
const EXACT_SEARCH_GAP = 0.5;
