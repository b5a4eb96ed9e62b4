import { Probe, type QueryFn } from '@relurec/geometry';
import { createRng } from '@relurec/random';
import { denseLayer, type DenseLayer, type ReluNetwork } from '@relurec/network';
import { makeTolerances, type RecoveryContext } from './context/RecoveryContext.js';
import { findFirstLayer, type FirstLayerOptions } from './layer1/findFirstLayer.js';
import { firstLayerSigns } from './signs/firstLayerSigns.js';
import { fitOutputLayer } from './output/fitOutputLayer.js';

export interface RecoveryOptions {
  /** Run seed: every random choice derives from it. */
  seed: number;
  /** Inputs live where N(0, domainScale^2 I) puts them. Default 1. */
  domainScale?: number;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
  firstLayer?: FirstLayerOptions;
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
  /** Distinct queries this recovery paid for. */
  queries: number;
  architecture: number[];
  layers: LayerReport[];
  warnings: string[];
  /** What is missing when incomplete. */
  missing: string[];
}

/**
 * Recovers a ReLU network from queries (ALGORITHM.md). Pure apart from the queries: all
 * randomness comes from the seed, so the same seed and black box give the same network.
 */
export async function recoverNetwork(query: QueryFn, dims: { inputDim: number; outputDim: number }, options: RecoveryOptions): Promise<RecoveryResult> {
  const rng = createRng(options.seed);
  const log = options.log ?? (() => {});
  const { inputDim: n0, outputDim: m } = dims;
  const direction = m === 1 ? Float64Array.of(1) : rng.fork('scalarise').unitVector(m);
  const probe = new Probe(query, { inputDim: n0, outputDim: m, direction });
  const domainScale = options.domainScale ?? 1;
  const warnings: string[] = [];
  const missing: string[] = [];

  // Output scale from a few random inputs (later reused as cached samples).
  const scaleRng = rng.fork('scale');
  const first = Array.from({ length: 8 }, () => scaleRng.gaussianArray(n0).map((v) => v * domainScale));
  const ys = await probe.scalars(first);
  const tol = makeTolerances(Math.max(...ys.map(Math.abs)), domainScale);
  const ctx: RecoveryContext = { probe, tol, rng: rng.fork('layer1'), log };

  const l1 = await findFirstLayer(ctx, options.firstLayer);
  if (l1.stoppedBy) {
    warnings.push(`layer 1 sampling stopped early: ${(l1.stoppedBy as Error).message}`);
    missing.push('layer 1 may be incomplete (sampling stopped early)');
  }
  if (l1.unresolved > 0) warnings.push(`${l1.unresolved} kink-search intervals were given up`);
  const planes = l1.planes;
  const layers: LayerReport[] = [];
  if (planes.length === 0) {
    throw new RangeError('no kink was found: the black box looks affine on the domain (no ReLU boundary crosses it)');
  }
  const W = new Float64Array(planes.length * n0), b = new Float64Array(planes.length);
  planes.forEach((p, j) => {
    W.set(p.normal, j * n0);
    b[j] = p.offset;
  });
  const report: LayerReport = { layer: 1, width: planes.length, fit: planes.every((p) => p.fit === 'points') ? 'points' : 'normal' };
  layers.push(report);
  if (l1.unexplained.length > 0) {
    missing.push(`${l1.unexplained.length} kinks are not explained by layer 1: the network has deeper hidden layers, which this version does not yet recover`);
  }
  try {
    const signs = firstLayerSigns(planes, l1.regions, m);
    report.signs = { method: signs.method, margin: signs.margin, residual: signs.residual, free: signs.free };
    if (signs.margin > 0.1 || signs.residual > 1e-6) warnings.push(`layer 1 signs are uncertain (margin ${signs.margin.toExponential(2)}, residual ${signs.residual.toExponential(2)})`);
    signs.flips.forEach((f, j) => {
      if (!f) return;
      for (let i = 0; i < n0; i++) W[j * n0 + i] = -W[j * n0 + i];
      b[j] = -b[j];
    });
  } catch (e) {
    warnings.push(`layer 1 signs not solved: ${(e as Error).message}`);
    missing.push('signs of layer 1');
  }
  const hidden: DenseLayer[] = [denseLayer(n0, planes.length, W, b)];
  const samplePoints = [...first, ...l1.samples];
  const sampleOutputs = await probe.outputs(samplePoints); // cache hits: no new queries
  const out = fitOutputLayer(hidden, samplePoints, sampleOutputs);
  if (out.relativeResidual > 1e-6) {
    warnings.push(`the output layer does not fit the samples (relative residual ${out.relativeResidual.toExponential(2)}): something is missing`);
  }
  const complete = missing.length === 0 && out.relativeResidual <= 1e-6;
  const network: ReluNetwork = {
    name: 'recovered',
    meta: {},
    layers: [...hidden, out.layer],
  };
  return {
    network,
    complete,
    queries: probe.spent,
    architecture: [n0, ...hidden.map((l) => l.outDim), m],
    layers,
    warnings,
    missing,
  };
}
