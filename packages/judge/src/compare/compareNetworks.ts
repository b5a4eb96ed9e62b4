import { architecture, canonicalize, inputDim, outputDim, type ReluNetwork } from '@relurec/network';
import type { MilpSolver } from '@relurec/milp';
import { createRng } from '@relurec/random';
import { measureFidelity } from '../fidelity/measureFidelity.js';
import { LayerKind, type LayerComparison, type NetworkComparison, type ResolvedCompareOptions } from './NetworkComparison.js';
import { checkNetwork } from './internal/checkNetwork.js';
import { leadingColumns, type ColumnAlignment } from './internal/ColumnAlignment.js';
import { compareOutputLayer } from './internal/compareOutputLayer.js';
import { matchHiddenLayer } from './internal/matchHiddenLayer.js';
import { bitsOf, unmatchedLayer } from './internal/summarizeLayer.js';
import { unusedInputs } from './internal/unusedInputs.js';

/** Defaults of CompareOptions. */
export const CompareDefaults = {
  fidelitySamples: 100_000,
  seed: 0,
  domainScale: 1,
  matchTolerance: 1e-2,
  fidelityBatchSize: 4096,
  unusedSamples: 10_000,
} as const;

export interface CompareOptions {
  /** Gaussian inputs for the fidelity figure; 0 skips it. Default 100000 (ALGORITHM.md section 6). */
  fidelitySamples?: number;
  /** Seed of the fidelity inputs. Default 0. */
  seed?: number;
  /** Fidelity inputs are N(0, domainScale^2 I). Default 1. */
  domainScale?: number;
  /**
   * Largest max-abs difference (aligned canonical units: unit-norm rows; biases alike) at which a
   * recovered hidden neuron still counts as the true one; a worse pair counts as one missing and one
   * extra neuron. Default 1e-2 (about 7 bits): far above the 2^-36 recovery target and any refinement
   * stage's error, far below the distance between two distinct neurons of a random network (unit rows
   * in random directions differ by about 2 sqrt(ln n / n) in max-norm: 0.17 at n = 1000, 0.06 at
   * n = 10000; biases by O(1)).
   */
  matchTolerance?: number;
  /** Rows per forward batch in the fidelity pass (and the unused-input search). Default 4096. */
  fidelityBatchSize?: number;
  /**
   * Inputs per scale (N(0, (s domainScale)^2 I), s = 1, 3, 10, 30, 100, 300) on which each network's
   * unused inputs are found: a neuron's input off wherever the neuron is on (pairs the samples never
   * see on together are then searched by ascent, from these inputs and as many more). A weight from an input
   * unused by a true neuron and by its recovered partner alike changes neither function there and no
   * query shows it: it is left out of the pair's error and listed (LayerComparison.unused). 0: none
   * left out. Default 10000.
   */
  unusedSamples?: number;
  /**
   * A loaded MILP solver (`loadMilpSolver` of @relurec/milp): each pair the sampling and ascent call
   * never on together is then put to an exact search over the network's activation regions
   * (deepestJointInput, the box |x_d| <= 1.5 times the farthest sample): a point found makes the
   * weight count, a proof marks it `proved`, a search that runs out of time leaves the verdict as it
   * was. Without it, the verdict is the search's.
   */
  milp?: MilpSolver;
}

/**
 * The judge: compares a recovered network with the true one up to the isomorphisms of a ReLU network
 * (neuron permutation and positive scaling; ALGORITHM.md section 1).
 *
 * Both are canonicalised. Hidden layers are matched in order, each by a rectangular assignment on
 * the max abs difference of incoming rows and biases, rows aligned on the previous layer's matched
 * pairs (see LayerComparison for the units when a previous layer is incomplete). A weight from an
 * input that is off wherever its neuron is on, in both networks on sampled inputs (unusedSamples) and
 * by an ascent (and proved by an exact search with `milp`), is left out of its pair's error and
 * listed: the function there does not depend on it. A sign-flipped
 * neuron is a different neuron: it is rejected (and flagged `signFlipped`). Inputs and outputs are
 * identified by index. Depth mismatches leave the extra layers unmatched and the output layer
 * uncompared. Fidelity is measured on the networks as given.
 *
 * Pure and deterministic (with `milp` too, unless one of its searches stops at its time limit);
 * never throws on a mismatch, only on malformed networks or options.
 * @throws TypeError/RangeError naming the malformed network field or option
 */
export function compareNetworks(truth: ReluNetwork, recovered: ReluNetwork, options: CompareOptions = {}): NetworkComparison {
  const resolved = resolveOptions(options);
  checkNetwork(truth, 'truth');
  checkNetwork(recovered, 'recovered');
  const t = canonicalize(truth), r = canonicalize(recovered);
  // Found on the networks as given (canonicalize scales neurons, which changes no sign); one stream
  // for both, so both see the same inputs.
  const unusedOf = (net: ReluNetwork) =>
    resolved.unusedSamples > 0 && inputDim(t) === inputDim(r)
      ? unusedInputs(net, resolved.unusedSamples, createRng(resolved.seed).fork('unused inputs'), resolved.domainScale, resolved.fidelityBatchSize, options.milp)
      : undefined;
  const unusedT = unusedOf(truth), unusedR = unusedOf(recovered);
  const truthArchitecture = architecture(t), recoveredArchitecture = architecture(r);
  const architectureMatch = truthArchitecture.length === recoveredArchitecture.length && truthArchitecture.every((w, k) => w === recoveredArchitecture[k]);
  const inputDimMatch = inputDim(t) === inputDim(r), outputDimMatch = outputDim(t) === outputDim(r);

  const hiddenT = t.layers.length - 1, hiddenR = r.layers.length - 1, hidden = Math.max(hiddenT, hiddenR);
  const layers: LayerComparison[] = [];
  let columns: ColumnAlignment | null = leadingColumns(Math.min(inputDim(t), inputDim(r)));
  for (let l = 0; l < hidden; l++) {
    if (columns !== null && l < hiddenT && l < hiddenR) {
      const unused = unusedT && unusedR ? { truth: unusedT[l], recovered: unusedR[l] } : undefined;
      const match = matchHiddenLayer(l + 1, t.layers[l], r.layers[l], columns, resolved.matchTolerance, unused);
      layers.push(match.comparison);
      columns = match.next;
    } else {
      layers.push(unmatchedLayer(l + 1, LayerKind.hidden, l < hiddenT ? t.layers[l].outDim : 0, l < hiddenR ? r.layers[l].outDim : 0));
      columns = null;
    }
  }
  const outT = t.layers[hiddenT], outR = r.layers[hiddenR];
  layers.push(
    columns !== null && hiddenT === hiddenR
      ? compareOutputLayer(hidden + 1, outT, outR, columns)
      : unmatchedLayer(hidden + 1, LayerKind.output, outT.outDim, outR.outDim),
  );

  let maxError = NaN;
  for (const layer of layers) {
    if (layer.matched > 0 && !(layer.maxError <= maxError)) maxError = layer.maxError;
  }
  const complete = architectureMatch && layers.every((layer) => layer.missing === 0 && layer.extra === 0);
  const fidelity =
    inputDimMatch && outputDimMatch && resolved.fidelitySamples > 0
      ? measureFidelity(truth, recovered, {
          samples: resolved.fidelitySamples,
          seed: resolved.seed,
          domainScale: resolved.domainScale,
          batchSize: resolved.fidelityBatchSize,
        })
      : null;
  return {
    architectureMatch,
    inputDimMatch,
    outputDimMatch,
    truthArchitecture,
    recoveredArchitecture,
    complete,
    layers,
    unusedWeights: layers.reduce((s, l) => s + l.unused.length, 0),
    maxError,
    bits: bitsOf(maxError),
    fidelity,
    options: resolved,
  };
}

function resolveOptions(options: CompareOptions): ResolvedCompareOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const o = { ...CompareDefaults, ...definedOnly(options) };
  if (!Number.isInteger(o.fidelitySamples) || o.fidelitySamples < 0) {
    throw new RangeError(`options.fidelitySamples must be a non-negative integer, got ${o.fidelitySamples}`);
  }
  if (!Number.isFinite(o.seed)) throw new RangeError(`options.seed must be a finite number, got ${o.seed}`);
  if (!(Number.isFinite(o.domainScale) && o.domainScale > 0)) {
    throw new RangeError(`options.domainScale must be a positive finite number, got ${o.domainScale}`);
  }
  if (!(Number.isFinite(o.matchTolerance) && o.matchTolerance > 0)) {
    throw new RangeError(`options.matchTolerance must be a positive finite number, got ${o.matchTolerance}`);
  }
  if (!Number.isInteger(o.fidelityBatchSize) || o.fidelityBatchSize < 1) {
    throw new RangeError(`options.fidelityBatchSize must be a positive integer, got ${o.fidelityBatchSize}`);
  }
  if (!Number.isInteger(o.unusedSamples) || o.unusedSamples < 0) {
    throw new RangeError(`options.unusedSamples must be a non-negative integer, got ${o.unusedSamples}`);
  }
  const { milp, ...rest } = o;
  return Object.freeze({ ...rest, exactUnused: milp !== undefined && rest.unusedSamples > 0 });
}

function definedOnly(options: CompareOptions): CompareOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
