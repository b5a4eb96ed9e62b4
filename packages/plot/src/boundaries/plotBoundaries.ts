import type { ReluNetwork } from '@relurec/network';
import { linearScale } from '../scale/linearScale.js';
import { drawAxis, AxisOrientation } from '../svg/drawAxis.js';
import { drawLegend, legendWidth, type LegendEntry } from '../svg/drawLegend.js';
import { element, text } from '../svg/element.js';
import { formatNumber } from '../svg/formatNumber.js';
import { colorOf } from '../svg/palette.js';
import { svgDocument } from '../svg/svgDocument.js';
import { neuronBoundaries, type NeuronBoundary } from './neuronBoundaries.js';

export interface PlotBoundariesOptions {
  /** The square [low, high]^2 of inputs drawn. Default [-3, 3]. */
  range?: readonly [number, number];
  /** Side of the plotted square in pixels; path points are written to 1e-4 px. Default 480. */
  resolution?: number;
  /** Heading. Default 'Neuron boundaries' with the networks' names. */
  title?: string;
  /** See NeuronBoundaryOptions.maxRegions. Default 200000. */
  maxRegions?: number;
}

/** Dash pattern of recovered boundaries. */
const RECOVERED_DASH = '6 4';

/**
 * The picture of Rolnick and Kording (2020, Fig. 1): over the input square, the boundary of every
 * hidden neuron (where its pre-activation is 0), coloured by layer; the true network's solid, the
 * recovered network's dashed on top. Boundaries are exact (see neuronBoundaries).
 *
 * Each neuron whose boundary crosses the square is one
 * `<path class="boundary" data-network="truth|recovered" data-layer="L" data-neuron="i">`; the
 * legend names the layers (and the line styles when a recovered network is given).
 * @returns the SVG file's text
 * @throws RangeError naming the input dimension when either network does not have 2 inputs, or naming an option
 */
export function plotBoundaries(truth: ReluNetwork, recovered?: ReluNetwork, options: PlotBoundariesOptions = {}): string {
  const range = options.range ?? [-3, 3];
  const size = options.resolution ?? 480;
  if (!(Number.isFinite(size) && size >= 50 && size <= 20_000)) throw new RangeError(`options.resolution must be a number of pixels in [50, 20000], got ${size}`);
  const truthLines = neuronBoundaries(truth, { range, maxRegions: options.maxRegions, what: 'truth network' });
  const recoveredLines = recovered === undefined ? undefined : neuronBoundaries(recovered, { range, maxRegions: options.maxRegions, what: 'recovered network' });

  const layers = Math.max(truth.layers.length - 1, recovered === undefined ? 0 : recovered.layers.length - 1);
  const entries: LegendEntry[] = Array.from({ length: layers }, (_, k) => ({ label: `layer ${k + 1}`, color: colorOf(k) }));
  if (recovered !== undefined) entries.push({ label: 'truth', color: '#555' }, { label: 'recovered', color: '#555', dash: RECOVERED_DASH });

  const left = 64, top = 40, bottom = 56, gap = 24;
  const legendW = legendWidth(entries, 'hidden layer');
  const width = left + size + gap + legendW + 12, height = top + size + bottom;
  const x = linearScale(range, [left, left + size]);
  const y = linearScale(range, [top + size, top]);

  const pathOf = (b: NeuronBoundary, network: 'truth' | 'recovered') => {
    const d = b.polylines
      .map((line) => {
        let s = '';
        for (let k = 0; k < line.length; k += 2) s += `${k === 0 ? 'M' : ' L'}${formatNumber(x.map(line[k]), 4)} ${formatNumber(y.map(line[k + 1]), 4)}`;
        return s;
      })
      .join(' ');
    return element('path', {
      class: 'boundary',
      'data-network': network,
      'data-layer': b.layer,
      'data-neuron': b.neuron,
      d,
      fill: 'none',
      stroke: colorOf(b.layer - 1),
      'stroke-width': 1.6,
      'stroke-dasharray': network === 'recovered' ? RECOVERED_DASH : undefined,
      'stroke-linejoin': 'round',
    });
  };
  const drawn = (list: NeuronBoundary[]) => list.filter((b) => b.polylines.length > 0);
  const group = (list: NeuronBoundary[], network: 'truth' | 'recovered') =>
    element('g', { class: `boundaries boundaries-${network}`, 'clip-path': 'url(#plot-area)' }, drawn(list).map((b) => pathOf(b, network)));

  const name = (net: ReluNetwork) => (net.name === '' ? 'unnamed' : net.name);
  const title = options.title ?? `Neuron boundaries of ${name(truth)}${recovered === undefined ? '' : ` (solid) and ${name(recovered)} (dashed)`}`;
  const counted = (list: NeuronBoundary[]) => `${drawn(list).length} of ${list.length} hidden neurons cross the square`;
  const description =
    `truth: ${counted(truthLines)}` + (recoveredLines === undefined ? '' : `; recovered: ${counted(recoveredLines)}`) + `; inputs in [${range[0]}, ${range[1]}]^2`;

  const children = [
    element('defs', {}, element('clipPath', { id: 'plot-area' }, element('rect', { x: left, y: top, width: size, height: size }))),
    text(left, 24, title, { 'font-size': 14, 'font-weight': 'bold', class: 'title' }),
    drawAxis(x, { orientation: AxisOrientation.bottom, position: top + size, label: 'x1' }),
    drawAxis(y, { orientation: AxisOrientation.left, position: left, label: 'x2' }),
    element('rect', { class: 'plot-frame', x: left, y: top, width: size, height: size, fill: 'none', stroke: '#333' }),
    group(truthLines, 'truth'),
    ...(recoveredLines === undefined ? [] : [group(recoveredLines, 'recovered')]),
    drawLegend(entries, { x: left + size + gap, y: top, title: 'hidden layer' }),
  ];
  return svgDocument({ width, height, title, description }, children);
}
