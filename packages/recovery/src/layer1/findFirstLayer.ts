import { createInlineDispatch } from '../plan/inlineDispatch.js';
import { discoverFirstLayer, type FirstLayerOptions, type FirstLayerResult } from '../plan/discoverFirstLayer.js';
import type { RecoveryContext } from '../context/RecoveryContext.js';

export type { FirstLayerOptions, FirstLayerResult, MeasuredRegion } from '../plan/discoverFirstLayer.js';

/**
 * Layer 1 (ALGORITHM.md section 3) on one probe: the same phases as a recovery run, with every
 * task on the caller's probe (one shared cache) and generator. For library callers and tests.
 */
export async function findFirstLayer(ctx: RecoveryContext, options: FirstLayerOptions = {}): Promise<FirstLayerResult> {
  const { probe, tol, rng, log } = ctx;
  const dispatch = createInlineDispatch(() => Promise.reject(new Error('unused')), { seed: 0, log, shared: { probe, rng } });
  return discoverFirstLayer({ dispatch, env: { inputDim: probe.inputDim, outputDim: probe.outputDim, direction: probe.direction }, tol, rng, log }, options);
}
