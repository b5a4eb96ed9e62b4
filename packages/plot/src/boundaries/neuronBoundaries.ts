import { inputDim, type ReluNetwork } from '@relurec/network';
import { chainSegments } from './internal/chainSegments.js';
import { clipHalfPlane, polygonArea, valuesAt, vertexMean, zeroSegment, zeroTolerance, type Affine2 } from './internal/convexPolygon.js';

/** Where one hidden neuron's pre-activation vanishes inside the plotted square. */
export interface NeuronBoundary {
  /** Hidden layer, 1-based. */
  readonly layer: number;
  /** Neuron within the layer, 0-based. */
  readonly neuron: number;
  /**
   * Polylines in input coordinates, each a flat [x0, y0, x1, y1, ...] array. Empty when the
   * boundary does not cross the square. Straight for layer 1; bent where it crosses an earlier
   * layer's boundary for layers >= 2.
   */
  readonly polylines: readonly Float64Array[];
}

export interface NeuronBoundaryOptions {
  /** The square [low, high]^2 of inputs. Default [-3, 3]. */
  range?: readonly [number, number];
  /**
   * Most linear regions (of the layers before the deepest hidden one) before giving up with a
   * RangeError, a guard against networks too wide to draw. Default 200000.
   */
  maxRegions?: number;
  /** Which network the error messages name. Default 'network'. */
  what?: string;
}

/** A convex piece of the square on which layers 1..l are affine: activations = A x + c. */
interface Region {
  readonly poly: number[];
  /** n x 2, row-major. */
  readonly A: Float64Array;
  readonly c: Float64Array;
}

/**
 * The boundary of every hidden neuron of a network with two inputs over a square, computed exactly.
 *
 * Exact, not marching squares: the square is cut into the linear regions of layers 1..l-1 (convex
 * polygons, split by one zero line at a time), on each of which the layer-l pre-activation is an
 * affine function of the input, so its zero set there is a straight segment found by interpolating
 * the function's values at the polygon's vertices. The pieces meet at region edges, where deeper
 * boundaries bend. Marching squares would round those bends off and place points only to within
 * O(h^2) of the zero set, and a plot meant to show that recovered boundaries coincide with the true
 * ones must not blur them itself. Points lie on the zero set up to float64 rounding.
 * @returns one entry per hidden neuron, layer by layer in neuron order
 * @throws RangeError naming the input dimension when the network does not have exactly 2 inputs, or naming an option
 */
export function neuronBoundaries(net: ReluNetwork, options: NeuronBoundaryOptions = {}): NeuronBoundary[] {
  const what = options.what ?? 'network';
  const n0 = inputDim(net);
  if (n0 !== 2) throw new RangeError(`boundaries can be drawn for networks with 2 inputs only; the ${what} has input dimension ${n0}`);
  const range = options.range ?? [-3, 3];
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
    throw new RangeError(`options.range must be two finite numbers [low, high] with low < high, got ${JSON.stringify(range)}`);
  }
  const maxRegions = options.maxRegions ?? 200_000;
  if (!Number.isInteger(maxRegions) || maxRegions < 1) throw new RangeError(`options.maxRegions must be a positive integer, got ${maxRegions}`);
  const [lo, hi] = range;
  const span = Math.max(Math.abs(lo), Math.abs(hi), hi - lo);
  const minArea = 1e-24 * (hi - lo) ** 2;

  let regions: Region[] = [{ poly: [lo, lo, hi, lo, hi, hi, lo, hi], A: Float64Array.of(1, 0, 0, 1), c: new Float64Array(2) }];
  const hidden = net.layers.length - 1;
  const result: NeuronBoundary[] = [];
  for (let l = 0; l < hidden; l++) {
    const { inDim: n, outDim: m, weights: W, biases: b } = net.layers[l];
    const segments: number[][][] = Array.from({ length: m }, () => []);
    const next: Region[] = [];
    for (const region of regions) {
      const fs: Affine2[] = [];
      for (let i = 0; i < m; i++) {
        let gx = 0, gy = 0, g0 = b[i];
        for (let j = 0; j < n; j++) {
          const w = W[i * n + j];
          gx += w * region.A[2 * j];
          gy += w * region.A[2 * j + 1];
          g0 += w * region.c[j];
        }
        fs.push({ gx, gy, g0 });
      }
      fs.forEach((f, i) => {
        const seg = zeroSegment(region.poly, valuesAt(region.poly, f), zeroTolerance(f, span));
        if (seg !== null) segments[i].push(seg);
      });
      if (l + 1 < hidden) {
        for (const piece of splitByLines(region.poly, fs, span, minArea)) next.push(activate(piece, fs));
        if (next.length > maxRegions) {
          throw new RangeError(
            `the ${what} has more than options.maxRegions (${maxRegions}) linear regions in the square before hidden layer ${l + 2}; ` +
              'raise maxRegions or plot a smaller network',
          );
        }
      }
    }
    for (let i = 0; i < m; i++) result.push({ layer: l + 1, neuron: i, polylines: chainSegments(segments[i], 1e-9 * span) });
    regions = next;
  }
  return result;
}

/** The convex pieces of poly cut by every zero line in fs. */
function splitByLines(poly: number[], fs: readonly Affine2[], span: number, minArea: number): number[][] {
  let pieces = [poly];
  for (const f of fs) {
    const eps = zeroTolerance(f, span);
    const cut: number[][] = [];
    for (const piece of pieces) {
      const z = valuesAt(piece, f);
      if (z.every((v) => v >= -eps) || z.every((v) => v <= eps)) {
        cut.push(piece);
        continue;
      }
      for (const sign of [1, -1] as const) {
        const half = clipHalfPlane(piece, z, sign, eps);
        if (half !== null && polygonArea(half) > minArea) cut.push(half);
      }
    }
    pieces = cut;
  }
  return pieces;
}

/** The region after ReLU: rows of inactive neurons (negative at the piece's interior) are zeroed. */
function activate(poly: number[], fs: readonly Affine2[]): Region {
  const [x, y] = vertexMean(poly);
  const A = new Float64Array(2 * fs.length), c = new Float64Array(fs.length);
  fs.forEach((f, i) => {
    if (f.gx * x + f.gy * y + f.g0 > 0) {
      A[2 * i] = f.gx;
      A[2 * i + 1] = f.gy;
      c[i] = f.g0;
    }
  });
  return { poly, A, c };
}
