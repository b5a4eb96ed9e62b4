export {
  AxisOrientation,
  LegendMarker,
  PALETTE,
  colorOf,
  drawAxis,
  drawLegend,
  element,
  escapeXml,
  formatNumber,
  legendWidth,
  svgDocument,
  text,
} from './svg/index.js';
export type { Attributes, AxisOptions, LegendEntry, LegendOptions, SvgDocumentOptions } from './svg/index.js';
export { ScaleKind, formatTickLabel, linearScale, logScale, niceDomain, niceStep } from './scale/index.js';
export type { LinearScaleOptions, Scale, Tick } from './scale/index.js';
export { neuronBoundaries, plotBoundaries } from './boundaries/index.js';
export type { NeuronBoundary, NeuronBoundaryOptions, PlotBoundariesOptions } from './boundaries/index.js';
export { barChart, lineChart, scatterChart } from './charts/index.js';
export type {
  Bar,
  BarChartOptions,
  ChartAxis,
  LineChartOptions,
  Point,
  ReferenceLine,
  Rule,
  ScatterChartOptions,
  Series,
  XyChartOptions,
} from './charts/index.js';
