import type { PROTOCOL_VERSION } from './TaskMessage.js';

export const RunState = { running: 'running', complete: 'complete', incomplete: 'incomplete', failed: 'failed' } as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

/** Where a run stands; kept in the run-state store (KV) under its runId, updated at each phase. */
export interface RunStatus {
  readonly v: typeof PROTOCOL_VERSION;
  readonly runId: string;
  /** What the black box is ('net.json', 'http://...', 'model.onnx'). */
  readonly target: string;
  readonly state: RunState;
  /** Phase name ('layer 1: segments', 'layer 2: traces', ...). */
  readonly phase: string;
  /** Hidden layer being recovered (1-based; 0 before the first). */
  readonly layer: number;
  /** Neurons found so far per hidden layer. */
  readonly neurons: readonly number[];
  /** Logical queries: rows paid for by completed tasks. */
  readonly queries: number;
  readonly budget: number | null;
  readonly tasksIssued: number;
  readonly tasksDone: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Why the run stopped, when it did not complete. */
  readonly reason?: string;
}
