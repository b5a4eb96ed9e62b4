import t from 'tap';
import { generateNetwork, preActivations, type ReluNetwork } from '@relurec/network';
import { neuronBoundaries, plotBoundaries } from '../src/index.js';
import { allText, findAll, parseSvg, pathPolylines, type XmlNode } from './fixtures/parseSvg.js';
import { threeLines, twoLayers } from './fixtures/networks.js';

const boundaryPaths = (root: XmlNode, network?: string) =>
  findAll(root, 'path', 'boundary').filter((p) => network === undefined || p.attributes['data-network'] === network);

/** Input coordinates of a path point, from the plot frame's pixel box and the plotted range. */
function toInput(frame: XmlNode, range: [number, number], px: number, py: number): [number, number] {
  const x0 = Number(frame.attributes.x), y0 = Number(frame.attributes.y);
  const w = Number(frame.attributes.width), h = Number(frame.attributes.height);
  const [lo, hi] = range;
  return [lo + ((px - x0) / w) * (hi - lo), hi - ((py - y0) / h) * (hi - lo)];
}

/**
 * Largest |z| of each drawn neuron at its path's points and edge midpoints, evaluated on the network.
 * Coordinates are written to 1e-4 px, so a point is off by at most 5e-5 px per coordinate, i.e.
 * 5e-5 * (hi - lo) / size input units; |z| is then at most that times the L1 norm of z's gradient,
 * which the product of the layers' max-abs-row-sums bounds (a Lipschitz bound).
 */
function worstOnPaths(svg: string, net: ReluNetwork, network: string, range: [number, number]): { worst: number; bound: number; points: number } {
  const root = parseSvg(svg);
  const frame = findAll(root, 'rect', 'plot-frame')[0];
  const perCoordinate = (5e-5 * (range[1] - range[0])) / Number(frame.attributes.width);
  let worst = 0, bound = Infinity, points = 0;
  for (const p of boundaryPaths(root, network)) {
    const layer = Number(p.attributes['data-layer']), neuron = Number(p.attributes['data-neuron']);
    let lipschitz = 1;
    for (let l = 0; l < layer; l++) {
      const { inDim: n, outDim: m, weights: W } = net.layers[l];
      let rowMax = 0;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Math.abs(W[i * n + j]);
        rowMax = Math.max(rowMax, s);
      }
      lipschitz *= rowMax;
    }
    const tolerance = 2 * perCoordinate * lipschitz + 1e-12;
    bound = Math.min(bound, tolerance);
    for (const line of pathPolylines(p.attributes.d)) {
      const pts = line.map(([px, py]) => toInput(frame, range, px, py));
      const samples = [...pts, ...pts.slice(1).map((q, k) => [(q[0] + pts[k][0]) / 2, (q[1] + pts[k][1]) / 2] as [number, number])];
      for (const [x, y] of samples) {
        const z = preActivations(net, Float64Array.of(x, y), 1)[layer - 1][neuron];
        worst = Math.max(worst, Math.abs(z) / tolerance);
        points++;
      }
    }
  }
  return { worst, bound, points };
}

t.test('plot - boundaries of a 2-3-1 net: well-formed SVG with 3 boundary paths of one colour', async (t) => {
  const svg = plotBoundaries(threeLines);
  const root = parseSvg(svg);
  t.equal(root.attributes.xmlns, 'http://www.w3.org/2000/svg');
  const paths = boundaryPaths(root);
  t.equal(paths.length, 3);
  t.same(paths.map((p) => p.attributes['data-neuron']), ['0', '1', '2']);
  t.equal(new Set(paths.map((p) => p.attributes.stroke)).size, 1, 'one layer, one colour');
  t.notOk(paths.some((p) => 'stroke-dasharray' in p.attributes), 'true boundaries are solid');
  t.match(allText(root), /layer 1/);
  const { worst, points } = worstOnPaths(svg, threeLines, 'truth', [-3, 3]);
  t.ok(points >= 6);
  t.ok(worst <= 1, `|z| within tolerance at every path point (worst ${worst.toFixed(3)} of the tolerance)`);
});

t.test('plot - boundaries of a 2-3-2-1 net: 3 layer-1 and 2 layer-2 paths in two colours, on the zero sets', async (t) => {
  const b = neuronBoundaries(twoLayers);
  t.ok(b.every((n) => n.polylines.length > 0), 'the fixture has every boundary inside the square');
  const svg = plotBoundaries(twoLayers);
  const root = parseSvg(svg);
  const paths = boundaryPaths(root);
  const byLayer = (l: string) => paths.filter((p) => p.attributes['data-layer'] === l);
  t.equal(byLayer('1').length, 3);
  t.equal(byLayer('2').length, 2);
  const c1 = new Set(byLayer('1').map((p) => p.attributes.stroke)), c2 = new Set(byLayer('2').map((p) => p.attributes.stroke));
  t.equal(c1.size, 1);
  t.equal(c2.size, 1);
  t.not([...c1][0], [...c2][0], 'layers have different colours');
  t.equal(findAll(root, 'g', 'legend-entry').length, 2, 'legend: layer 1, layer 2');
  const { worst, points } = worstOnPaths(svg, twoLayers, 'truth', [-3, 3]);
  t.ok(points > 10);
  t.ok(worst <= 1, `|z| within tolerance (worst ${worst.toFixed(3)} of it)`);
});

t.test('plot - truth solid, recovered dashed; both sets of paths on their own zero sets', async (t) => {
  const truth = generateNetwork({ architecture: [2, 6, 4, 1], seed: 2 });
  const recovered = generateNetwork({ architecture: [2, 5, 3, 1], seed: 3 });
  const range: [number, number] = [-2, 2];
  const svg = plotBoundaries(truth, recovered, { range, resolution: 300 });
  const root = parseSvg(svg);
  const drawnCount = (net: ReluNetwork) => neuronBoundaries(net, { range }).filter((n) => n.polylines.length > 0).length;
  t.equal(boundaryPaths(root, 'truth').length, drawnCount(truth));
  t.equal(boundaryPaths(root, 'recovered').length, drawnCount(recovered));
  t.ok(boundaryPaths(root, 'recovered').every((p) => p.attributes['stroke-dasharray'] === '6 4'));
  t.ok(boundaryPaths(root, 'truth').every((p) => p.attributes['stroke-dasharray'] === undefined));
  t.equal(Number(findAll(root, 'rect', 'plot-frame')[0].attributes.width), 300, 'resolution is the side in pixels');
  const legend = findAll(root, 'g', 'legend-entry').map((g) => g.attributes['data-label']);
  t.same(legend, ['layer 1', 'layer 2', 'truth', 'recovered']);
  for (const [net, which] of [[truth, 'truth'], [recovered, 'recovered']] as const) {
    const { worst } = worstOnPaths(svg, net, which, range);
    t.ok(worst <= 1, `${which}: |z| within tolerance (worst ${worst.toFixed(3)} of it)`);
  }
});

t.test('plot - names are escaped: the SVG stays well-formed', async (t) => {
  const svg = plotBoundaries({ ...threeLines, name: 'a<b & "c"' });
  const root = parseSvg(svg);
  t.match(allText(root), 'a<b & "c"');
});

t.test('plot - a network without 2 inputs is a RangeError naming the input dimension', async (t) => {
  t.throws(() => plotBoundaries(generateNetwork({ architecture: [5, 3, 1], seed: 1 })), { name: 'RangeError', message: /truth network has input dimension 5/ });
  t.throws(() => plotBoundaries(threeLines, generateNetwork({ architecture: [1, 3, 1], seed: 1 })), {
    name: 'RangeError',
    message: /recovered network has input dimension 1/,
  });
  t.throws(() => plotBoundaries(threeLines, undefined, { resolution: 3 }), { name: 'RangeError', message: /options\.resolution/ });
});
