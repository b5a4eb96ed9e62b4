import type { DenseLayer } from '@relurec/network';
import type { Rng } from '@relurec/random';
import { hypot } from '@relurec/linalg';
import { localValues } from '../known/localState.js';
import { predictCrossings } from './predictCrossings.js';

/** A predicted crossing of a candidate's boundary where its layer's known neurons are in other states than on its trace. */
export interface PatternChangeTest {
  point: Float64Array;
  /** Unit normal of the candidate's predicted boundary there. */
  normal: Float64Array;
  /** Known neurons of the candidate's layer in another state than at the nearest-pattern trace point. */
  changed: number;
  /** Distance to the nearest trace point (input units). */
  distance: number;
}

export interface PatternChangeOptions {
  domainScale: number;
  /** Segments between points scattered around the trace (offsets of 1-4 domain scales). Default 48. */
  segments?: number;
  /** Tests returned at most, most changed first. Default 12. */
  tests?: number;
  /** Tests closer than this to a trace point are dropped (domain scales). Default 0.5. */
  minDistance?: number;
}

/**
 * Where a layer-j candidate (`row` over layer j-1's activations, signs of layers < j fixed) found
 * after layer j was traced can be told from a layer-(j+1) boundary (ALGORITHM.md section 4): on its
 * trace no layer-j neuron may have switched (a far search's chords cross few boundaries), and there a
 * deeper boundary is indistinguishable from it. Once the layer's other neurons (`peers`, unsigned
 * rows: only their switching counts) are known, its boundary is predicted (no queries) on segments
 * between points scattered around its trace and across the domain, where its unseen inputs are off
 * (its row is exact only there), and the crossings where the most peers are in another state than
 * at every trace point are returned: a layer-j neuron's boundary is there, a deeper one's bends away.
 */
export function patternChangeTests(known: readonly DenseLayer[], peers: DenseLayer, cand: { row: ArrayLike<number>; bias: number; unseen: readonly number[] }, points: readonly Float64Array[], rng: Rng, options: PatternChangeOptions): PatternChangeTest[] {
  const { domainScale } = options;
  const n0 = known[0].inDim, top = known.length - 1;
  const layers = [...known, peers];
  const pattern = (x: Float64Array) => Array.from(localValues(layers, x).zetas[top + 1], (v) => (v > 0 ? 1 : 0));
  const tracePatterns = points.map(pattern);
  const exact = (x: Float64Array) => {
    const h = localValues(known, x).activations[top];
    return cand.unseen.every((i) => !(h[i] > 0));
  };
  const c = { c: Float64Array.from(cand.row), lambda: new Float64Array(0), bias: cand.bias };
  const ends: [Float64Array, Float64Array][] = [];
  const around = () => {
    const p = points[rng.nextInt(points.length)], off = rng.gaussianArray(n0);
    const r = ((1 + 3 * rng.nextDouble()) * domainScale) / Math.sqrt(n0);
    return p.map((v, i) => v + r * off[i]);
  };
  for (let s = 0; s < (options.segments ?? 48) && points.length > 0; s++) ends.push([around(), around()]);
  for (let s = 0; s < 16; s++) ends.push([rng.gaussianArray(n0).map((v) => 2 * v * domainScale), rng.gaussianArray(n0).map((v) => 2 * v * domainScale)]);
  const minDistance = (options.minDistance ?? 0.5) * domainScale;
  const found: PatternChangeTest[] = [];
  for (const [a, b] of ends) {
    for (const cr of predictCrossings(known, c, a, b, 64, true)) {
      if (!exact(cr.point)) continue;
      const distance = Math.min(...points.map((p) => hypot(p.map((v, i) => v - cr.point[i]))));
      if (!(distance >= minDistance)) continue;
      const pat = pattern(cr.point);
      const changed = Math.min(...tracePatterns.map((tp) => tp.reduce((s: number, v, i) => s + (v !== pat[i] ? 1 : 0), 0)));
      if (changed > 0) found.push({ point: cr.point, normal: cr.normal, changed, distance });
    }
  }
  found.sort((x, y) => y.changed - x.changed || y.distance - x.distance);
  return found.slice(0, options.tests ?? 12);
}

export interface PatternChangeVerdict {
  verdict: 'member' | 'impostor' | 'inconclusive';
  hits: number;
  misses: number;
  /** Segments with no kink at all (the output may be locally constant there). */
  blank: number;
}

/**
 * The kinks found on a segment across each test's predicted point (along its normal): a kink within
 * `pass` of the prediction (one number, or one per test) is a hit; kinks elsewhere only, or none
 * where the output still changes along the segment, a miss (a hidden neuron's boundary is invisible
 * only where the output is locally constant); no kink on a flat output, blank. Member with 4 hits
 * and two more per miss, impostor with 3 misses before that (testMembership's rule).
 */
export function judgePatternChangeTests(tests: readonly PatternChangeTest[], seen: readonly { kinks: readonly { point: Float64Array }[]; flat: boolean }[], pass: number | ((test: PatternChangeTest) => number)): PatternChangeVerdict {
  let hits = 0, misses = 0, blank = 0;
  for (const [t, test] of tests.entries()) {
    if (hits >= 4 + 2 * misses || misses >= 3) break;
    const { kinks, flat } = seen[t];
    if (kinks.length === 0 && flat) {
      blank++;
      continue;
    }
    const offset = Math.min(Infinity, ...kinks.map((k) => Math.abs(k.point.reduce((s, v, i) => s + (v - test.point[i]) * test.normal[i], 0))));
    if (offset <= (typeof pass === 'number' ? pass : pass(test))) hits++;
    else misses++;
  }
  const verdict = misses >= 3 ? 'impostor' : hits >= 4 + 2 * misses ? 'member' : 'inconclusive';
  return { verdict, hits, misses, blank };
}
