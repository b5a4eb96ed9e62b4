import { findKinks, GradientNotFoundError, Probe, regionJacobian, type QueryFn } from '@relurec/geometry';
import { denseLayer, type DenseLayer } from '@relurec/network';
import { createRng, type Rng } from '@relurec/random';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { measureNoise } from '../context/measureNoise.js';
import { extendNeuron, findDeeperLayer, traceSeed, type DeeperLayerResult, type LayerNeuron } from '../deeper/findDeeperLayer.js';
import { findUnexplainedKinks } from '../deeper/findUnexplainedKinks.js';
import { collectBoundaryPoints } from '../deeper/refineNeuron.js';
import { checkKink } from '../layer1/checkKink.js';
import { measureCandidate } from '../layer1/measureCandidate.js';
import { refineWideNormals } from '../layer1/refineWideNormals.js';
import { TaskKind } from './TaskKind.js';
import type * as T from './taskTypes.js';

/** A task kind this version does not know (a newer coordinator, or a corrupted message). */
export class UnknownTaskKindError extends Error {
  override readonly name = 'UnknownTaskKindError';
  constructor(readonly kind: string) {
    super(`unknown task kind '${kind}'`);
  }
}

export interface TaskResult {
  /** Kind-specific output; absent when the task failed. */
  output?: unknown;
  /** Why the task failed (an oracle failure, the budget, a fault). */
  failure?: { name: string; message: string; budget: boolean };
  /** Distinct rows this task sent to the black box (its own cache), also when it failed. */
  queries: number;
  /** Progress lines the task produced, in order. */
  log: string[];
}

/**
 * Runs one task against the black box: a fresh probe (a per-task cache, ALGORITHM.md section 8)
 * and a generator seeded from the task's own seed, so the output and the query count depend on
 * the input and seed alone, not on which worker runs it or when. Never throws for a failing task:
 * the failure is returned (a fragment carries it); an unknown kind throws UnknownTaskKindError.
 */
export async function runTask(kind: string, input: unknown, seed: number, query: QueryFn): Promise<TaskResult> {
  if (!RUNNERS[kind]) throw new UnknownTaskKindError(kind);
  const env = (input as { env: T.TaskEnv }).env;
  const probe = new Probe(query, { inputDim: env.inputDim, outputDim: env.outputDim, direction: env.direction });
  return runTaskOn(kind, input, createRng(seed), probe);
}

/** runTask on a given probe (shared cache) and generator: for library callers and unit tests. */
export async function runTaskOn(kind: string, input: unknown, rng: Rng, probe: Probe): Promise<TaskResult> {
  const run = RUNNERS[kind];
  if (!run) throw new UnknownTaskKindError(kind);
  const log: string[] = [];
  const spent0 = probe.spent;
  try {
    const output = await run(input as never, { probe, rng, log: (m: string) => log.push(m), tol: (input as { tol?: RecoveryContext['tol'] }).tol! });
    return { output, queries: probe.spent - spent0, log };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { failure: { name: err.name, message: err.message, budget: err.name === 'QueryBudgetExceededError' }, queries: probe.spent - spent0, log };
  }
}

type Runner = (input: never, ctx: RecoveryContext) => Promise<unknown>;

const layers = (data: T.LayerData[]): DenseLayer[] => data.map((l) => denseLayer(l.inDim, l.outDim, l.weights, l.biases));

/** A neuron as it crosses threads and the bus (its seen set as a sorted array). */
export function toNeuronData(n: LayerNeuron): T.NeuronData {
  return { c: n.c, lambda: n.lambda, bias: n.bias, points: n.points, seen: [...n.seen].sort((a, b) => a - b), closure: n.closure, pinning: n.pinning, hits: n.hits, fixedColumns: n.fixedColumns, fixedStates: n.fixedStates, membership: { ...n.membership }, ...(n.failedCrossings !== undefined ? { failedCrossings: n.failedCrossings } : {}) };
}

/** The neuron back from its data form. */
export function fromNeuronData(n: T.NeuronData): LayerNeuron {
  return { ...n, seen: new Set(n.seen) };
}

function toTraceOutput(r: DeeperLayerResult): T.TraceLayerOutput {
  return {
    neurons: r.neurons.map(toNeuronData),
    unexplained: r.unexplained,
    traces: r.traces,
    rejected: r.rejected,
    missedPrevious: r.missedPrevious,
  };
}

const RUNNERS: Record<string, Runner> = {
  [TaskKind.survey]: async (input: T.SurveyInput, { probe, rng }): Promise<T.SurveyOutput> => {
    const xs = Array.from({ length: input.samples }, () => rng.gaussianArray(probe.inputDim).map((v) => v * input.domainScale));
    const ys = await probe.outputs(xs);
    const noise = await measureNoise(probe, rng.fork('noise'), input.domainScale);
    return { xs, ys, noise };
  },
  [TaskKind.segmentKinks]: async (input: T.SegmentKinksInput, { probe, tol }): Promise<T.SegmentKinksOutput> => {
    const seg = { origin: input.origin, direction: input.direction, t0: 0, t1: 1 };
    const { kinks, unresolved } = await findKinks(probe, seg, { tolerance: tol.value, endSlopeStep: tol.endSlopeStep });
    const a = input.origin, b = input.origin.map((v, i) => v + input.direction[i]);
    const [ya, yb] = await probe.outputs([a, b]);
    return { kinks: kinks.map((k) => ({ t: k.t, point: k.point, slopeLeft: k.slopeLeft, slopeRight: k.slopeRight })), unresolved, ends: [{ x: a, y: ya }, { x: b, y: yb }] };
  },
  [TaskKind.checkKink]: async (input: T.CheckKinkInput, { probe, tol, rng }): Promise<T.CheckKinkOutput> => {
    return checkKink(probe, tol, rng, input.kink, input.scale);
  },
  [TaskKind.pieceJacobian]: async (input: T.PieceJacobianInput, { probe, tol }): Promise<T.PieceJacobianOutput> => {
    try {
      const r = await regionJacobian(probe, input.point, { step: input.step, tolerance: tol.value });
      return { ok: true, jacobian: r.jacobian, y: r.value };
    } catch (e) {
      // A piece too small for any verified step: reported, the kink becomes an unexplained seed.
      if (!(e instanceof GradientNotFoundError)) throw e;
      return { ok: false, reason: (e as Error).message };
    }
  },
  [TaskKind.testPlane]: async (input: T.TestPlaneInput, { probe, tol, rng }): Promise<T.TestPlaneOutput> => {
    const plane = await measureCandidate(probe, tol, rng, input, input.scale, input.options);
    return { plane: plane ?? null };
  },
  [TaskKind.refineWide]: async (input: T.RefineWideInput, { probe, tol }): Promise<T.RefineWideOutput> => {
    const planes = input.planes;
    const had = planes.map((p) => p.points.length);
    try {
      const report = await refineWideNormals(probe, planes, tol, { signs: input.signs, bias: input.bias, neurons: input.neurons });
      // Only this task's planes go back, with only the points it added: a chunk's fragment is then
      // a chunk's size, not the layer's (4 MB per chunk on 784-128-1 when every plane went back).
      const mine = input.neurons ?? planes.map((_, j) => j);
      return { ok: true, planes: mine.map((j) => ({ ...planes[j], points: planes[j].points.slice(0, planes[j].points.length - had[j]) })), report };
    } catch (e) {
      if (e instanceof Error && (e.name.startsWith('Oracle') || e.name === 'QueryBudgetExceededError')) throw e;
      return { ok: false, reason: (e as Error).message };
    }
  },
  [TaskKind.traceLayer]: async (input: T.TraceLayerInput, ctx): Promise<T.TraceLayerOutput> => {
    return toTraceOutput(await findDeeperLayer(ctx, layers(input.known), input.seeds, input.options));
  },
  [TaskKind.traceSeed]: async (input: T.TraceSeedInput, ctx): Promise<T.TraceSeedOutput> => {
    const known = layers(input.known);
    const out = await traceSeed(ctx, known, input.seed, input.retry, input.accepted.map(fromNeuronData), input.traceNumber, input.options);
    if (out.kind !== 'neuron') return out;
    const before = out.neuron.fixedColumns.length;
    if (!input.extend || before === 0) return { ...out, neuron: toNeuronData(out.neuron) };
    // Its number in the layer is not known here: the extension's own lines give way to one note.
    const spent0 = ctx.probe.spent;
    const neuron = await extendNeuron({ ...ctx, log: () => {} }, known, out.neuron, 0, input.options);
    return { ...out, neuron: toNeuronData(neuron), log: `${out.log}, extended (${ctx.probe.spent - spent0} queries): inputs never switching ${before} -> ${neuron.fixedColumns.length}` };
  },
  [TaskKind.extendNeuron]: async (input: T.ExtendNeuronInput, ctx): Promise<T.ExtendNeuronOutput> => {
    return toNeuronData(await extendNeuron(ctx, layers(input.known), fromNeuronData(input.neuron), input.index, input.options));
  },
  [TaskKind.boundaryPoints]: async (input: T.BoundaryPointsInput, ctx): Promise<T.BoundaryPointsOutput> => {
    return { points: await collectBoundaryPoints(ctx, layers(input.known), input.candidate, input.signed, input.options) };
  },
  [TaskKind.rareNeurons]: async (input: T.RareNeuronsInput, ctx): Promise<T.RareNeuronsOutput> => {
    const known = layers(input.known);
    const seeds = await findUnexplainedKinks(ctx, known, input.centers);
    ctx.log(`${seeds.length} unexplained kinks near the worst samples`);
    if (seeds.length === 0) return { seeds: 0, found: { neurons: [], unexplained: [], traces: 0, rejected: [], missedPrevious: [] } };
    const found = await findDeeperLayer(ctx, known.slice(0, known.length - 1), seeds, { ...input.options, acceptInconclusive: true, confinedFallback: true, ...(input.expectedRows ? { expectedRows: input.expectedRows } : {}) });
    return { seeds: seeds.length, found: toTraceOutput(found) };
  },
  [TaskKind.outputs]: async (input: T.OutputsInput, { probe }): Promise<T.OutputsOutput> => {
    return { ys: await probe.outputs(input.points) };
  },
};
