import type { DenseLayer, ReluNetwork } from '@relurec/network';
import type { Rng } from '@relurec/random';
import type { RecoveryContext } from '../context/RecoveryContext.js';
import { rayProbePoints, type RayProbeOptions } from '../known/rayProbePoints.js';
import { compareOnPoints, type PointCheck } from './compareOnPoints.js';

export interface FreshCheckOptions {
  /** Points on edges of the known arrangement (rayProbePoints). Default 96. */
  probes?: number;
  /** Plain N(0, domainScale^2 I) points besides. Default 32. */
  random?: number;
  /**
   * Points drawn at larger scales besides, `count` per scale: N(0, (s domainScale)^2 I). A recovered
   * network is exact everywhere or wrong, and a neuron missed at scale 1 (active on ~0 of N(0, I))
   * is active on a sizeable share of inputs a few scales out. Default none.
   */
  far?: { count: number; scales: readonly number[] };
  probeOptions?: RayProbeOptions;
  relativeTolerance?: number;
}

export interface FreshCheck extends PointCheck {
  points: Float64Array[];
  ys: Float64Array[];
}

/**
 * The inputs of the fresh-input check, chosen without queries: `probes` points on edges of the
 * known arrangement, split evenly over the prefixes layers 1..l (l = 1..L: a missing layer-(l+1)
 * neuron peaks on edges of layers 1..l, and edges of all layers dilute that), then `random` draws
 * from N(0, domainScale^2 I). Deterministic in `rng`.
 */
export function freshCheckPoints(hidden: readonly DenseLayer[], rng: Rng, options: FreshCheckOptions = {}): Float64Array[] {
  const probes = options.probes ?? 96, L = hidden.length, n0 = hidden[0].inDim, scale = options.probeOptions?.domainScale ?? 1;
  const out: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    const count = Math.floor((probes * l) / L) - Math.floor((probes * (l - 1)) / L);
    out.push(...rayProbePoints(hidden.slice(0, l), rng.fork('probes', l), { ...options.probeOptions, count }));
  }
  const r = rng.fork('random');
  for (let i = 0; i < (options.random ?? 32); i++) out.push(r.gaussianArray(n0).map((v) => v * scale));
  for (const s of options.far?.scales ?? []) {
    const f = rng.fork('far', s);
    for (let i = 0; i < options.far!.count; i++) out.push(f.gaussianArray(n0).map((v) => v * s * scale));
  }
  return out;
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
  const points = freshCheckPoints(hidden, rng, { ...options, probeOptions: { domainScale: tol.domainScale, ...options.probeOptions } });
  const ys = await probe.outputs(points);
  const check = compareOnPoints(network, points, ys, { outputScale: tol.outputScale, noise: tol.noise, relativeTolerance: options.relativeTolerance });
  ctx.log(`fresh-input check: ${check.failures.length} of ${check.checked} points disagree (worst ${check.worstRelative.toExponential(2)})`);
  return { ...check, points, ys };
}
