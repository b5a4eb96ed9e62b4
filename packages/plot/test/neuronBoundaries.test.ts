import t from 'tap';
import { cloneNetwork, denseLayer, generateNetwork, preActivations, type ReluNetwork } from '@relurec/network';
import { createRng } from '@relurec/random';
import { neuronBoundaries, type NeuronBoundary } from '../src/index.js';
import { bentLine, threeLines } from './fixtures/networks.js';

function z(net: ReluNetwork, layer: number, neuron: number, x: number, y: number): number {
  return preActivations(net, Float64Array.of(x, y), 1)[layer - 1][neuron];
}

function distanceToPolylines(px: number, py: number, lines: readonly Float64Array[]): number {
  let best = Infinity;
  for (const l of lines) {
    for (let k = 0; k + 3 < l.length; k += 2) {
      const ax = l[k], ay = l[k + 1], bx = l[k + 2], by = l[k + 3];
      const dx = bx - ax, dy = by - ay;
      const s = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(px - ax - s * dx, py - ay - s * dy));
    }
  }
  return best;
}

t.test('boundaries - three straight lines of a hand-built 2-3-1 net, end to end across the square', async (t) => {
  const b = neuronBoundaries(threeLines);
  t.same(b.map((n) => [n.layer, n.neuron, n.polylines.length]), [[1, 0, 1], [1, 1, 1], [1, 2, 1]]);
  // Expected end points by hand: x = 1, y = 0.5 and y = -x meet the square's edges at +-3.
  const ends = b.map((n) => {
    const l = n.polylines[0];
    const pts = [[l[0], l[1]], [l[l.length - 2], l[l.length - 1]]].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    return pts.flat();
  });
  const expected = [[1, -3, 1, 3], [-3, 0.5, 3, 0.5], [-3, 3, 3, -3]];
  ends.forEach((e, i) => e.forEach((v, k) => t.ok(Math.abs(v - expected[i][k]) <= 1e-12, `neuron ${i} end coordinate ${k}: ${v} vs ${expected[i][k]}`)));
});

t.test('boundaries - a layer-2 boundary bends where it crosses layer-1 boundaries (hand computation)', async (t) => {
  const [, , deep] = neuronBoundaries(bentLine);
  t.equal(deep.layer, 2);
  t.equal(deep.polylines.length, 1, 'the pieces of the three regions join into one polyline');
  const pts = Array.from(deep.polylines[0]);
  const forward = [-3, 1, 0, 1, 1, 0, 1, -3];
  const asWritten = pts[0] < pts[pts.length - 2] ? pts : reversePairs(pts);
  t.equal(asWritten.length, forward.length, `points ${JSON.stringify(pts)}`);
  asWritten.forEach((v, k) => t.ok(Math.abs(v - forward[k]) <= 1e-12, `coordinate ${k}: ${v} vs ${forward[k]}`));
});

function reversePairs(a: number[]): number[] {
  const out: number[] = [];
  for (let k = a.length - 2; k >= 0; k -= 2) out.push(a[k], a[k + 1]);
  return out;
}

t.test('boundaries - every point lies where the pre-activation vanishes, and every zero crossing is drawn', async (t) => {
  const net = generateNetwork({ architecture: [2, 8, 6, 4, 1], seed: 5 });
  const boundaries = neuronBoundaries(net, { range: [-3, 3] });
  t.equal(boundaries.length, 18);
  for (const b of boundaries) {
    // |z| <= 1e-9: the points are computed by interpolation inside one linear region, so only float64
    // rounding of O(10) operations on O(1..10) values separates them from the zero set.
    for (const line of b.polylines) {
      for (let k = 0; k + 1 < line.length; k += 2) {
        const value = z(net, b.layer, b.neuron, line[k], line[k + 1]);
        if (!(Math.abs(value) <= 1e-9)) t.fail(`layer ${b.layer} neuron ${b.neuron}: z = ${value} at (${line[k]}, ${line[k + 1]})`);
        if (k + 3 < line.length) {
          const mid = z(net, b.layer, b.neuron, (line[k] + line[k + 2]) / 2, (line[k + 1] + line[k + 3]) / 2);
          if (!(Math.abs(mid) <= 1e-9)) t.fail(`layer ${b.layer} neuron ${b.neuron}: z = ${mid} at an edge midpoint`);
        }
      }
    }
  }
  // Completeness: sign changes of z along 41 horizontal lines inside the square, located by bisection to 1e-13, are
  // within 1e-9 of the drawn boundary.
  let crossings = 0;
  for (const b of boundaries) {
    for (let r = 0; r <= 40; r++) {
      const y = -3 + (6 * (r + 0.5)) / 41;
      let xPrev = -3, zPrev = z(net, b.layer, b.neuron, xPrev, y);
      for (let s = 1; s <= 600; s++) {
        const x = -3 + (6 * s) / 600, zx = z(net, b.layer, b.neuron, x, y);
        if ((zPrev > 0) !== (zx > 0) && zPrev !== 0 && zx !== 0) {
          let lo = xPrev, hi = x;
          for (let i = 0; i < 60; i++) {
            const mid = (lo + hi) / 2;
            if ((z(net, b.layer, b.neuron, mid, y) > 0) === (zPrev > 0)) lo = mid;
            else hi = mid;
          }
          crossings++;
          const d = distanceToPolylines((lo + hi) / 2, y, b.polylines);
          if (!(d <= 1e-9)) t.fail(`layer ${b.layer} neuron ${b.neuron}: crossing at (${lo}, ${y}) is ${d} from the drawn boundary`);
        }
        xPrev = x;
        zPrev = zx;
      }
    }
  }
  t.ok(crossings > 100, `${crossings} crossings checked`);
});

t.test('boundaries - permuting and positively rescaling hidden neurons moves no boundary (property)', async (t) => {
  const net = generateNetwork({ architecture: [2, 6, 5, 1], seed: 9 });
  const rng = createRng(17);
  const perms = net.layers.slice(0, -1).map((l) => shuffle(l.outDim, rng.nextDouble));
  const scales = net.layers.slice(0, -1).map((l) => Array.from({ length: l.outDim }, () => 0.1 + 10 * rng.nextDouble()));
  const twin = equivalent(net, perms, scales);
  const a = neuronBoundaries(net), b = neuronBoundaries(twin);
  for (const nb of a) {
    const k = perms[nb.layer - 1].indexOf(nb.neuron);
    const other = b.find((x) => x.layer === nb.layer && x.neuron === k) as NeuronBoundary;
    t.equal(other.polylines.length > 0, nb.polylines.length > 0, `layer ${nb.layer} neuron ${nb.neuron} drawn in both`);
    // 1e-9: the same segments computed through differently scaled (rounded) weights.
    let worst = 0;
    for (const [from, to] of [[nb, other], [other, nb]]) {
      for (const l of from.polylines) for (let p = 0; p < l.length; p += 2) worst = Math.max(worst, distanceToPolylines(l[p], l[p + 1], to.polylines));
    }
    t.ok(worst <= 1e-9, `layer ${nb.layer} neuron ${nb.neuron}: boundaries ${worst} apart`);
  }
});

/** perm[l][newIndex] = old index; neuron newIndex of layer l is scales[l][newIndex] times the old one (the next layer divides). */
function equivalent(net: ReluNetwork, perms: number[][], scales: number[][]): ReluNetwork {
  const copy = cloneNetwork(net);
  const layers = copy.layers.map((layer, l) => {
    const { inDim: n, outDim: m } = layer;
    const W = new Float64Array(n * m), b = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const oi = l < perms.length ? perms[l][i] : i;
      const s = l < scales.length ? scales[l][i] : 1;
      for (let j = 0; j < n; j++) {
        const oj = l > 0 ? perms[l - 1][j] : j;
        const sj = l > 0 ? scales[l - 1][j] : 1;
        W[i * n + j] = (s * layer.weights[oi * n + oj]) / sj;
      }
      b[i] = s * layer.biases[oi];
    }
    return denseLayer(n, m, W, b);
  });
  return { ...copy, layers };
}

function shuffle(n: number, next: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

t.test('boundaries - a network without 2 inputs is a RangeError naming its input dimension', async (t) => {
  t.throws(() => neuronBoundaries(generateNetwork({ architecture: [3, 4, 1], seed: 1 })), {
    name: 'RangeError',
    message: /2 inputs only; the network has input dimension 3/,
  });
  t.throws(() => neuronBoundaries(threeLines, { range: [1, -1] }), { name: 'RangeError', message: /options\.range/ });
  t.throws(() => neuronBoundaries(generateNetwork({ architecture: [2, 30, 30, 1], seed: 1 }), { maxRegions: 10 }), {
    name: 'RangeError',
    message: /options\.maxRegions \(10\)/,
  });
});

t.test('boundaries - a neuron whose boundary misses the square has no polyline; an affine net has no neurons', async (t) => {
  const far = cloneNetwork(threeLines);
  (far.layers[0].biases as Float64Array)[0] = -10; // x = 10, outside [-3, 3]
  const b = neuronBoundaries(far);
  t.equal(b[0].polylines.length, 0);
  t.equal(b[1].polylines.length, 1);
  t.same(neuronBoundaries({ name: 'affine', meta: {}, layers: [denseLayer(2, 1)] }), []);
});
