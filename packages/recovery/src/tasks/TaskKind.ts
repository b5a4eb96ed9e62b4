/** Every kind of query-spending task of a recovery (ALGORITHM.md section 8). */
export const TaskKind = {
  /** Output scale and noise floor from a few random inputs. */
  survey: 'survey',
  /** Kinks on one segment (layer-1 sampling). */
  segmentKinks: 'segment-kinks',
  /** Is a sampled kink on a hyperplane? A few kink tests beside and far along it, before any normal. */
  checkKink: 'check-kink',
  /** The Jacobian of the linear piece around one point (for boundary normals and the sign solve). */
  pieceJacobian: 'piece-jacobian',
  /** The global-hyperplane test and plane fit of one layer-1 candidate. */
  testPlane: 'test-plane',
  /** Wide-input precision pass over the planes of a one-hidden-layer net. */
  refineWide: 'refine-wide',
  /** Trace the unexplained kinks of one layer into layer-k neurons, one trace at a time. */
  traceLayer: 'trace-layer',
  /** Trace one seed's boundary and test the candidate (a layer's traces run as waves of these). */
  traceSeed: 'trace-seed',
  /** Walk an accepted neuron's boundary again, aimed at inputs never seen switching. */
  extendNeuron: 'extend-neuron',
  /** More exact points on one neuron's boundary (precision, section 6). */
  boundaryPoints: 'boundary-points',
  /** Rare-neuron search through badly fitted samples, then tracing what it finds (section 7). */
  rareNeurons: 'rare-neurons',
  /** Outputs at given points. */
  outputs: 'outputs',
} as const;
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

export const TASK_KINDS: readonly string[] = Object.values(TaskKind);
