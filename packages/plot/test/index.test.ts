import t from 'tap';
import * as api from '../src/index.js';

// The public API of @relurec/plot (values; types are checked by the compiler): changing this list is an API change.
t.test('exports - the export list', async (t) => {
  t.same(Object.keys(api).sort(), [
    'AxisOrientation',
    'LegendMarker',
    'PALETTE',
    'ScaleKind',
    'barChart',
    'colorOf',
    'drawAxis',
    'drawLegend',
    'element',
    'escapeXml',
    'formatNumber',
    'formatTickLabel',
    'legendWidth',
    'lineChart',
    'linearScale',
    'logScale',
    'neuronBoundaries',
    'niceDomain',
    'niceStep',
    'plotBoundaries',
    'scatterChart',
    'svgDocument',
    'text',
  ]);
  t.same(api.ScaleKind, { linear: 'linear', log: 'log' });
});
