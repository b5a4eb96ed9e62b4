import type { DenseLayer } from '@relurec/network';
import type { Tolerances } from '../context/RecoveryContext.js';
import type { DeeperLayerOptions, Seed } from '../deeper/findDeeperLayer.js';
import type { RefineOptions } from '../deeper/refineNeuron.js';
import type { Hyperplane } from '../layer1/Hyperplane.js';
import type { KinkCheck, SegmentKink } from '../layer1/checkKink.js';
import type { MeasureCandidateOptions, PriorPoints } from '../layer1/measureCandidate.js';
import type { RefineWideReport } from '../layer1/refineWideNormals.js';

/** What every task needs to build its probe: the black box's shape and the scalarisation direction. */
export interface TaskEnv {
  inputDim: number;
  outputDim: number;
  direction: Float64Array;
}

/** Plain-data DenseLayer (crosses threads and the bus). */
export type LayerData = Pick<DenseLayer, 'inDim' | 'outDim' | 'weights' | 'biases'>;

export interface SurveyInput { env: TaskEnv; domainScale: number; samples: number }
export interface SurveyOutput { xs: Float64Array[]; ys: Float64Array[]; noise: number }

export interface SegmentKinksInput { env: TaskEnv; tol: Tolerances; origin: Float64Array; direction: Float64Array }
export interface SegmentKinksOutput {
  /** Kinks in order, with the slopes of s along the segment (per unit t) on each side. */
  kinks: { t: number; point: Float64Array; slopeLeft: number; slopeRight: number }[];
  unresolved: number;
  /** Outputs at the segment ends (samples for the output fit). */
  ends: { x: Float64Array; y: Float64Array }[];
}

export interface CheckKinkInput { env: TaskEnv; tol: Tolerances; kink: SegmentKink; scale: number }
export type CheckKinkOutput = KinkCheck;

export interface PieceJacobianInput { env: TaskEnv; tol: Tolerances; point: Float64Array; step: number }
export type PieceJacobianOutput = { ok: true; jacobian: Float64Array; y: Float64Array } | { ok: false; reason: string };

export interface TestPlaneInput { env: TaskEnv; tol: Tolerances; normal: Float64Array; jump: Float64Array; point: Float64Array; scale: number; options: MeasureCandidateOptions; prior?: PriorPoints }
export interface TestPlaneOutput { plane: Hyperplane | null }

export interface RefineWideInput {
  env: TaskEnv;
  tol: Tolerances;
  planes: Hyperplane[];
  /** Known signs and output bias (from the first refinement task), and the planes this task re-measures. */
  signs?: Int8Array;
  bias?: Float64Array;
  neurons?: number[];
}
/**
 * planes: the re-measured planes, one per entry of the input's `neurons` (every plane when absent), in
 * that order, each with only the exact boundary points the refinement added (the caller keeps the rest).
 */
export type RefineWideOutput = { ok: true; planes: Hyperplane[]; report: RefineWideReport } | { ok: false; reason: string };

/** A neuron of layer k as it crosses the bus (the trace's seen set as an array). */
export interface NeuronData {
  c: Float64Array;
  lambda: Float64Array;
  bias: number;
  points: Float64Array[];
  seen: number[];
  closure: number;
  pinning: number;
  hits: number;
  fixedColumns: number[];
  fixedStates: number[];
  membership: { verdict: 'member' | 'impostor' | 'inconclusive'; hits: number; misses: number; inconclusive: number; worstOffset: number };
  failedCrossings?: number;
}

export interface TraceLayerInput { env: TaskEnv; tol: Tolerances; known: LayerData[]; seeds: Seed[]; options: DeeperLayerOptions }
export interface TraceLayerOutput {
  neurons: NeuronData[];
  unexplained: Seed[];
  traces: number;
  rejected: string[];
  missedPrevious: Float64Array[][];
}

/** A trace outcome as it crosses the bus (deeper/findDeeperLayer.ts TraceOutcome, neuron as NeuronData). */
export type TraceSeedOutput =
  | { kind: 'rejected' | 'previous' | 'impostor' | 'confined'; line: string; log: string; failed?: { c: Float64Array; lambda: Float64Array; bias: number }; missed?: Float64Array[]; seeds?: Seed[] }
  | { kind: 'duplicate'; points: Float64Array[]; log: string }
  | { kind: 'neuron'; neuron: NeuronData; log: string; fallback?: true };

/**
 * extend: a neuron the trace accepts with inputs never seen switching is extended by the same task
 * (deeper/findDeeperLayer.ts extendNeuron) before it is returned: wide plans, where a layer's
 * extensions would otherwise wait for its last trace. Default false.
 */
export interface TraceSeedInput { env: TaskEnv; tol: Tolerances; known: LayerData[]; seed: Seed; retry: number; traceNumber: number; accepted: NeuronData[]; options: DeeperLayerOptions; extend?: boolean }
export interface ExtendNeuronInput { env: TaskEnv; tol: Tolerances; known: LayerData[]; neuron: NeuronData; index: number; options: DeeperLayerOptions }
export type ExtendNeuronOutput = NeuronData;

export interface BoundaryPointsInput { env: TaskEnv; tol: Tolerances; known: LayerData[]; candidate: { c: Float64Array; lambda: Float64Array; bias: number }; signed: boolean; options: RefineOptions }
export interface BoundaryPointsOutput { points: Float64Array[] }

export interface RareNeuronsInput {
  env: TaskEnv; tol: Tolerances; known: LayerData[]; centers: Float64Array[]; options: DeeperLayerOptions;
  /** Rows a neuron known to be missing may have (see DeeperLayerOptions.expectedRows), when known. */
  expectedRows?: Float64Array[];
}
export interface RareNeuronsOutput { seeds: number; found: TraceLayerOutput }

export interface OutputsInput { env: TaskEnv; points: Float64Array[] }
export interface OutputsOutput { ys: Float64Array[] }
