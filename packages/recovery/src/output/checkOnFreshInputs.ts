import type { DenseLayer, ReluNetwork } from '@relurec/network';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { rayProbePoints, type RayProbeOptions } from '../known/rayProbePoints.js';
import { compareOnPoints, type PointCheck } from './compareOnPoints.js';

export interface FreshCheckOptions {
  /** Points on edges of the known arrangement (rayProbePoints). Default 96. */
  probes?: number;
  /** Plain N(0, domainScale^2 I) points besides. Default 32. */
  random?: number;
  probeOptions?: RayProbeOptions;
  relativeTolerance?: number;
}

export interface FreshCheck extends PointCheck {
  points: Float64Array[];
  ys: Float64Array[];
}

/**
 * Completeness check on inputs no fit has seen (ALGORITHM.md section 7): `probes` points where a
 * neuron missing from `network` is most likely to show (rayProbePoints over `hidden`) and `random`
 * typical inputs, queried and compared with the model. Costs probes + random queries. A run whose
 * model fails it must not be reported complete; the failing points are inside a missing neuron's
 * rare region, the best centres for findUnexplainedKinks.
 */
export async function checkOnFreshInputs(ctx: RecoveryContext, network: ReluNetwork, hidden: readonly DenseLayer[], options: FreshCheckOptions = {}): Promise<FreshCheck> {
  const { probe, tol, rng } = ctx;
  const n0 = probe.inputDim;
  const points = [
    ...rayProbePoints(hidden, rng.fork('probes'), { domainScale: tol.domainScale, ...options.probeOptions, count: options.probes ?? 96 }),
    ...Array.from({ length: options.random ?? 32 }, () => rng.gaussianArray(n0).map((v) => v * tol.domainScale)),
  ];
  const ys = await probe.outputs(points);
  const check = compareOnPoints(network, points, ys, { outputScale: tol.outputScale, noise: tol.noise, relativeTolerance: options.relativeTolerance });
  ctx.log(`fresh-input check: ${check.failures.length} of ${check.checked} points disagree (worst ${check.worstRelative.toExponential(2)})`);
  return { ...check, points, ys };
}
