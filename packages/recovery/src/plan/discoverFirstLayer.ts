import { jumpNormal, pointOnSegment } from '@relurec/geometry';
import { dot, hypot } from '@relurec/linalg';
import type { Rng } from '@relurec/random';
import type { Tolerances } from '../context/RecoveryContext.js';
import { planeValue, samePlane, type Hyperplane } from '../layer1/Hyperplane.js';
import type { MeasureCandidateOptions } from '../layer1/measureCandidate.js';
import type { Seed } from '../deeper/findDeeperLayer.js';
import type { SeedCrossing } from '../deeper/unmeasuredSeed.js';
import { TaskKind } from '../tasks/TaskKind.js';
import type { CheckKinkInput, CheckKinkOutput, PieceJacobianInput, PieceJacobianOutput, SegmentKinksInput, SegmentKinksOutput, TaskEnv, TestPlaneInput, TestPlaneOutput } from '../tasks/taskTypes.js';
import { TaskFailedError, type Dispatch } from './Dispatch.js';
import { createCells } from './sampleCells.js';

export interface FirstLayerOptions extends MeasureCandidateOptions {
  /** Segments in a row that find no new neuron before the layer counts as saturated. Default 8. */
  saturationSegments?: number;
  /** Segments at least. Default 12. */
  minSegments?: number;
  /** Segments at most. Default 400. */
  maxSegments?: number;
  /** Domain scales tried after saturation at scale 1, for neurons whose boundaries lie far out. Default [3, 10]. */
  farScales?: number[];
  /**
   * Most segments whose kinks are searched in one phase (in parallel). Only segments the stopping
   * rule will certainly process are searched ahead, so this changes wall time, never the result or
   * the query count. Default 16.
   */
  lookahead?: number;
  /** Voronoi cells the segments start in, in turn. Default 8. */
  cells?: number;
  /**
   * Segments handled together (one phase of normals, one of plane tests): fewer, wider phases for a
   * latency-bound black box, for the normals of kinks a neuron found in the same batch explains.
   * Part of the result: fixed per run, never taken from the worker count. Default 1.
   */
  segmentBatch?: number;
  /**
   * Check each open kink for planarity (~8 queries, layer1/checkKink.ts) before paying for its
   * normal; kinks told deeper keep no normal (measured by the trace that needs one). Default: on
   * for segmentBatch 1 only: wider plans trace seeds in waves, and a wave holds back the seeds of a
   * neuron already in flight by their normals (likelySameNeuron), so without normals it traces
   * neurons twice (10-20-20-1 rk 1 at plan width 8: 17894 -> 20410 queries).
   */
  kinkCheck?: boolean;
  /**
   * The kink check runs on a batch only while most recent open kinks (the last this many, a
   * pseudo-count of one each way) turned out deeper: it costs ~18 queries on a layer-1 kink for
   * ~25 saved on a deeper one, so it pays only where deeper kinks dominate (a one-hidden-layer
   * network never). Default 16.
   */
  kinkCheckWindow?: number;
}

/** A region Jacobian measured on a sampled segment: reused for the sign solve. */
export interface MeasuredRegion {
  point: Float64Array;
  jacobian: Float64Array;
}

export interface FirstLayerResult {
  planes: Hyperplane[];
  /** Kinks no layer-1 plane explains: seeds of deeper layers (normal zero when not measured). */
  unexplained: Seed[];
  regions: MeasuredRegion[];
  /** Points with known outputs (segment ends, piece midpoints): samples for output fits. */
  samples: Float64Array[];
  sampleOutputs: Float64Array[];
  segments: number;
  /** Kink-search intervals given up (a kink may hide there). */
  unresolved: number;
  /** Set when sampling stopped early (budget, oracle failure): what was found is still returned. */
  stoppedBy?: unknown;
}

export interface FirstLayerRun {
  dispatch: Dispatch;
  env: TaskEnv;
  tol: Tolerances;
  rng: Rng;
  log: (message: string) => void;
}

/**
 * Layer 1 (ALGORITHM.md section 3) as phases of tasks: kink searches on random segments, then for
 * each segment in order a cheap planarity check of the kinks no known plane explains (deeper
 * kinks stop there, their normals left to the trace that may need them), the piece Jacobians
 * around the rest, then the global-hyperplane test of each new candidate; sampling until several segments in a row find
 * nothing new, then at larger scales. Segments are handled in order, so a neuron's normal is
 * measured once however many segments cross it, and the result does not depend on scheduling.
 */
export async function discoverFirstLayer(run: FirstLayerRun, options: FirstLayerOptions = {}): Promise<FirstLayerResult> {
  const { dispatch, env, tol, rng, log } = run;
  const n0 = env.inputDim;
  const saturation = options.saturationSegments ?? 8;
  const minSegments = options.minSegments ?? 12;
  const maxSegments = options.maxSegments ?? 400;
  const farScales = options.farScales ?? [3, 10];
  const lookahead = options.lookahead ?? 16;
  if (!Number.isInteger(lookahead) || lookahead < 1) throw new RangeError(`options.lookahead must be a positive integer, got ${options.lookahead}`);
  const batchSize = options.segmentBatch ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`options.segmentBatch must be a positive integer, got ${options.segmentBatch}`);
  const cells = createCells(options.cells ?? 8, n0, rng.fork('cells'));
  const measure: MeasureCandidateOptions = { farTests: options.farTests, maxFitDim: options.maxFitDim };
  const kinkCheck = options.kinkCheck ?? batchSize === 1;
  const checkWindow = options.kinkCheckWindow ?? 16;
  // Outcomes of the open kinks so far, in order: true when deeper (told bent, no normal, or the plane test failed).
  const recent: boolean[] = [];
  const mostlyDeeper = () => {
    const last = recent.slice(-checkWindow);
    return (last.filter((d) => d).length + 1) / (last.length + 2) > 0.5;
  };

  const planes: Hyperplane[] = [];
  const unexplained: FirstLayerResult['unexplained'] = [];
  const regions: MeasuredRegion[] = [];
  const samples: Float64Array[] = [];
  const sampleOutputs: Float64Array[] = [];
  let segments = 0, unresolved = 0, drawn = 0;
  const explainedBy = (p: Float64Array) => planes.find((pl) => Math.abs(planeValue(pl, p)) < tol.explain);

  let ahead: { scale: number; seg: SegmentKinksInput; result: SegmentKinksOutput }[] = [];
  const drawSegments = (scale: number, count: number): SegmentKinksInput[] => Array.from({ length: count }, () => {
    const s = tol.domainScale * scale;
    const a = cells.pointIn(drawn++ % cells.centers.length, s, rng), b = rng.gaussianArray(n0).map((v) => v * s);
    return { env, tol, origin: a, direction: b.map((v, i) => v - a[i]) };
  });
  const kinkTasks = (segs: SegmentKinksInput[]) => segs.map((input) => ({ kind: TaskKind.segmentKinks, input }));
  const kinksPhase = (n: number) => `layer 1: kinks on ${n} segment${n > 1 ? 's' : ''}`;
  // `certain`: segments the loop will process whatever they find (see the stopping rule below).
  const nextSegments = async (scale: number, certain: number, size: number) => {
    if (ahead.length > 0 && ahead[0].scale !== scale) ahead = [];
    if (ahead.length < size) {
      const segs = drawSegments(scale, Math.max(size, Math.min(lookahead, certain, maxSegments - segments)) - ahead.length);
      const results = (await dispatch.run(kinksPhase(segs.length), kinkTasks(segs))) as SegmentKinksOutput[];
      ahead.push(...segs.map((seg, i) => ({ scale, seg, result: results[i] })));
    }
    return ahead.splice(0, size);
  };

  /**
   * `size` segments together (one phase of normals, one of plane tests, whatever their number), in
   * order: kinks a plane known before the batch explains are skipped, candidates that repeat one
   * of the batch are tested once. `prefetch` more segments' kink searches ride with the plane
   * tests. Returns the new neurons per segment (a candidate's neuron counts for its segment).
   */
  const sampleBatch = async (scale: number, certain: number, size: number, prefetch: number): Promise<number[]> => {
    const batch = await nextSegments(scale, certain, size);
    const found = batch.map(() => 0);
    const checkInputs: CheckKinkInput[] = [];
    const perSeg = batch.map(({ seg: segIn, result }) => {
      const seg = { origin: segIn.origin, direction: segIn.direction, t0: 0, t1: 1 };
      segments++;
      const { kinks } = result;
      unresolved += result.unresolved;
      for (const e of result.ends) { samples.push(e.x); sampleOutputs.push(e.y); }
      const open = kinks.map((k, i) => i).filter((i) => {
        const known = explainedBy(kinks[i].point);
        if (known) known.hits++;
        return !known;
      });
      const segLen = hypot(seg.direction);
      const unitDir = seg.direction.map((v) => v / segLen);
      const crossing = (i: number): SeedCrossing => ({ direction: unitDir, before: (kinks[i].t - (i === 0 ? 0 : kinks[i - 1].t)) * segLen, after: ((i + 1 === kinks.length ? 1 : kinks[i + 1].t) - kinks[i].t) * segLen });
      const firstCheck = checkInputs.length;
      checkInputs.push(...open.map((i): CheckKinkInput => ({ env, tol, kink: { point: kinks[i].point, ...crossing(i), slopeBefore: kinks[i].slopeLeft / segLen, slopeAfter: kinks[i].slopeRight / segLen }, scale })));
      return { seg, segLen, kinks, open, crossing, firstCheck };
    });
    if (checkInputs.length === 0) return found;
    const deeperOf = new Map<string, boolean>();
    const done = () => {
      perSeg.forEach(({ open }, sIdx) => { for (const i of open) recent.push(deeperOf.get(`${sIdx}:${i}`) ?? false); });
      return found;
    };
    const unchecked: CheckKinkOutput = { verdict: 'unknown', points: [], jumps: [], passes: 0, misses: 0 };
    // Most open kinks belong to deeper neurons (layer 1 is complete after a few segments): a kink
    // whose boundary is not a plane is told in ~10 queries, and its normal is left to the deeper
    // layer's trace, which measures it only if the seed is ever traced. One phase for the batch.
    const checks = kinkCheck && mostlyDeeper() ? ((await dispatch.run('layer 1: kink checks', checkInputs.map((input) => ({ kind: TaskKind.checkKink, input })))) as CheckKinkOutput[]) : checkInputs.map(() => unchecked);
    const pieceInputs: PieceJacobianInput[] = [];
    const perSegOpen = perSeg.map(({ seg, segLen, kinks, open: all, crossing, firstCheck }, sIdx) => {
      const checkOf = new Map(all.map((i, j) => [i, checks[firstCheck + j]]));
      for (const i of all) {
        const c = checkOf.get(i)!;
        if (c.verdict !== 'bent') continue;
        unexplained.push({ point: kinks[i].point, normal: new Float64Array(n0), crossing: { ...crossing(i), beside: c.beside } });
        deeperOf.set(`${sIdx}:${i}`, true);
      }
      const open = all.filter((i) => checkOf.get(i)!.verdict !== 'bent');
      // Piece i lies between kink i-1 and kink i (segment ends at 0 and 1).
      const pieces = open.length === 0 ? [] : [...new Set(open.flatMap((i) => [i, i + 1]))].sort((a, b) => a - b);
      const first = pieceInputs.length;
      pieceInputs.push(...pieces.map((i) => {
        const ta = i === 0 ? 0 : kinks[i - 1].t, tb = i === kinks.length ? 1 : kinks[i].t;
        return { env, tol, point: pointOnSegment(seg, 0.5 * (ta + tb)), step: Math.min(1e-2 * tol.domainScale, 0.3 * 0.5 * (tb - ta) * segLen) };
      }));
      return { seg, kinks, open, pieces, first, checkOf };
    });
    if (pieceInputs.length === 0) return done();
    const jac = (await dispatch.run('layer 1: boundary normals', pieceInputs.map((input) => ({ kind: TaskKind.pieceJacobian, input })))) as PieceJacobianOutput[];
    jac.forEach((r, j) => {
      if (r.ok) {
        samples.push(pieceInputs[j].point); sampleOutputs.push(r.y);
        regions.push({ point: pieceInputs[j].point, jacobian: r.jacobian });
      }
    });
    const candidates: { segment: number; kink: number; input: TestPlaneInput }[] = [];
    perSegOpen.forEach(({ seg, kinks, open, pieces, first, checkOf }, sIdx) => {
      const piece = new Map<number, PieceJacobianOutput>(pieces.map((p, j) => [p, jac[first + j]]));
      for (const i of open) {
        const A = piece.get(i)!, B = piece.get(i + 1)!;
        if (!A.ok || !B.ok) { unexplained.push({ point: kinks[i].point, normal: new Float64Array(n0) }); deeperOf.set(`${sIdx}:${i}`, true); continue; }
        const { normal, jump } = jumpNormal(A.jacobian, B.jacobian, env.outputDim, n0, seg.direction);
        const candidate = { normal, offset: -dot(normal, kinks[i].point) };
        const dup = planes.find((pl) => samePlane(pl, candidate, tol.angle, 100 * tol.explain));
        if (dup) { dup.hits++; continue; }
        if (candidates.some((c) => samePlane({ normal: c.input.normal, offset: -dot(c.input.normal, c.input.point) }, candidate, tol.angle, 100 * tol.explain))) continue;
        const { points, jumps } = checkOf.get(i)!;
        candidates.push({ segment: sIdx, kink: i, input: { env, tol, normal, jump, point: kinks[i].point, scale, options: measure, prior: { points, jumps } } });
      }
    });
    if (candidates.length === 0) return done();
    const more = prefetch > 0 ? drawSegments(scale, prefetch) : [];
    const tasks = [...candidates.map((c) => ({ kind: TaskKind.testPlane, input: c.input })), ...kinkTasks(more)];
    const outs = await dispatch.run(more.length > 0 ? `layer 1: hyperplane tests, ${kinksPhase(more.length).slice(9)}` : 'layer 1: hyperplane tests', tasks);
    const tested = outs.slice(0, candidates.length) as TestPlaneOutput[];
    ahead.push(...more.map((seg, i) => ({ scale, seg, result: outs[candidates.length + i] as SegmentKinksOutput })));
    tested.forEach(({ plane }, j) => {
      if (plane && !planes.some((pl) => samePlane(pl, plane, 1e-3 * tol.angle, tol.explain))) {
        planes.push(plane);
        found[candidates[j].segment]++;
        log(`layer 1: neuron ${planes.length} (fit from ${plane.points.length} ${plane.fit === 'points' ? 'positions' : 'positions + normal'})`);
      } else if (!plane) {
        unexplained.push({ point: candidates[j].input.point, normal: candidates[j].input.normal });
        deeperOf.set(`${candidates[j].segment}:${candidates[j].kink}`, true);
      }
    });
    dispatch.progress?.({ phase: 'layer 1: segments', layer: 1, neurons: [planes.length] });
    return done();
  };

  let stoppedBy: unknown;
  try {
    for (const scale of [1, ...farScales]) {
      let quiet = 0, done = 0;
      const min = scale === 1 ? minSegments : Math.max(2, Math.ceil(minSegments / 3));
      const sat = scale === 1 ? saturation : Math.max(2, Math.ceil(saturation / 2));
      while (segments < maxSegments && (done < min || quiet < sat)) {
        // The loop runs at least max(min - done, sat - quiet) more segments (a new neuron only
        // lengthens it): those kink searches can run together without changing anything.
        const certain = Math.max(min - done, sat - quiet);
        const size = Math.min(batchSize, maxSegments - segments);
        // With batches, the next batch's kink searches ride with this one's plane tests when the
        // loop certainly runs that far (as if this batch found nothing).
        const prefetch = batchSize > 1 ? Math.max(0, Math.min(batchSize, certain - size, maxSegments - segments - size)) : 0;
        for (const f of await sampleBatch(scale, certain, size, prefetch)) {
          done++;
          quiet = f > 0 ? 0 : quiet + 1;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof TaskFailedError)) throw e;
    stoppedBy = e;
    log(`layer 1: sampling stopped early: ${e.message}`);
  }
  // Kinks that a plane found later explains are not deeper seeds.
  const deeper = unexplained.filter((u) => !explainedBy(u.point));
  return { planes, unexplained: deeper, regions, samples, sampleOutputs, segments, unresolved, stoppedBy };
}
