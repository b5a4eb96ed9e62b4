import type { QueryFn } from '@relurec/geometry';
import { createInlineDispatch } from './plan/inlineDispatch.js';
import type { PlanProgress } from './plan/Dispatch.js';
import { recoverWithDispatch, type RecoveryOptions, type RecoveryResult } from './plan/recoverWithDispatch.js';

export type { LayerReport, RecoveryOptions, RecoveryResult } from './plan/recoverWithDispatch.js';

/**
 * Recovers a ReLU network from queries (ALGORITHM.md) in this thread: the coordinator's plan with
 * every task run inline on its own probe. Gives the same network and query count as a thread pool
 * or a cluster for the same seed.
 */
export async function recoverNetwork(query: QueryFn, dims: { inputDim: number; outputDim: number }, options: RecoveryOptions & { progress?: (p: PlanProgress) => void; onPhase?: (name: string, tasks: number, queries: number) => void }): Promise<RecoveryResult> {
  return recoverWithDispatch(createInlineDispatch(query, { seed: options.seed, log: options.log, progress: options.progress, onPhase: options.onPhase }), dims, options);
}
