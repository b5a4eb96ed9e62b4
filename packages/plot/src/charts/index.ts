export type { ChartAxis, Point, Series, XyChartOptions } from './ChartTypes.js';
export { scatterChart } from './scatterChart.js';
export type { ReferenceLine, ScatterChartOptions } from './scatterChart.js';
export { lineChart } from './lineChart.js';
export type { LineChartOptions } from './lineChart.js';
export { barChart } from './barChart.js';
export type { Bar, BarChartOptions, Rule } from './barChart.js';
