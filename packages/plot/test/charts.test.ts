import t from 'tap';
import { barChart, lineChart, scatterChart } from '../src/index.js';
import { allText, findAll, parseSvg } from './fixtures/parseSvg.js';

t.test('charts - scatter on log-log axes: one group per series, circles per point, reference lines', async (t) => {
  const svg = scatterChart({
    title: 'queries against parameters',
    x: { label: 'parameters', scale: 'log' },
    y: { label: 'queries', scale: 'log' },
    series: [
      { name: 'rk', points: [{ x: 13, y: 348 }, { x: 241, y: 3544 }] },
      { name: 'carlini <&>', points: [{ x: 13, y: 436 }] },
    ],
    referenceLines: [{ label: 'y = 30x', coefficient: 30 }],
  });
  const root = parseSvg(svg);
  const series = findAll(root, 'g', 'series');
  t.same(series.map((g) => g.attributes['data-series']), ['rk', 'carlini <&>']);
  t.same(series.map((g) => findAll(g, 'circle').length), [2, 1]);
  const guides = findAll(root, 'g', 'guide');
  t.same(guides.map((g) => g.attributes['data-label']), ['y = 30x']);
  t.same(findAll(root, 'g', 'legend-entry').map((g) => g.attributes['data-label']), ['rk', 'carlini <&>', 'y = 30x']);
  const xTicks = findAll(findAll(root, 'g', 'axis-bottom')[0], 'text', 'tick-label').map((n) => n.text);
  t.same(xTicks, ['10', '100', '1000'], 'x axis: decades from 10 to 1000 (data 13..241)');
  // The y = 30x guide passes through (100, 3000): check pixel geometry against the axes' ticks.
  const at = (label: string, axis: 'bottom' | 'left') => {
    const g = findAll(root, 'g', `axis-${axis}`)[0];
    const node = findAll(g, 'text', 'tick-label').find((n) => n.text === label);
    return Number(axis === 'bottom' ? node?.attributes.x : Number(node?.attributes.y) - 4);
  };
  const px100 = at('100', 'bottom'), py1000 = at('1000', 'left'), py10000 = at('10000', 'left');
  const py3000 = py1000 + (py10000 - py1000) * Math.log10(3);
  const d = findAll(guides[0], 'path')[0].attributes.d;
  const pts = [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const near = pts.find(([x]) => Math.abs(x - px100) < 3) as number[];
  const slope = (pts[pts.length - 1][1] - pts[0][1]) / (pts[pts.length - 1][0] - pts[0][0]);
  t.ok(Math.abs(near[1] + slope * (px100 - near[0]) - py3000) < 0.01, 'guide at x = 100 is at y = 3000 (0.01 px)');
});

t.test('charts - a point a log axis cannot show is a RangeError naming the point', async (t) => {
  t.throws(
    () => scatterChart({ title: 't', x: { label: 'x', scale: 'log' }, y: { label: 'y', scale: 'log' }, series: [{ name: 'a', points: [{ x: 1, y: 1 }, { x: 2, y: 0 }] }] }),
    { name: 'RangeError', message: /options\.series\[0\]\.points\[1\]\.y is 0, which a log axis cannot show/ },
  );
  t.throws(() => lineChart({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 'a', points: [{ x: NaN, y: 1 }] }] }), {
    name: 'RangeError',
    message: /options\.series\[0\]\.points\[0\]\.x must be a finite number/,
  });
  t.throws(() => scatterChart({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [], referenceLines: [{ label: 'r', coefficient: NaN }] }), {
    message: /options\.referenceLines\[0\]\.coefficient/,
  });
});

t.test('charts - line chart joins each series in x order; an empty chart says so', async (t) => {
  const svg = lineChart({
    title: 'seconds against workers',
    x: { label: 'workers' },
    y: { label: 'seconds', includeZero: true },
    series: [
      { name: '10-20-1', points: [{ x: 4, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 1.7 }] },
      { name: '2-4-1', points: [{ x: 1, y: 0.2 }] },
    ],
  });
  const root = parseSvg(svg);
  const series = findAll(root, 'g', 'series');
  t.same(series.map((g) => g.attributes['data-series']), ['10-20-1', '2-4-1']);
  const cx = findAll(series[0], 'circle').map((c) => Number(c.attributes.cx));
  t.same(cx, [...cx].sort((a, b) => a - b), 'points sorted by x');
  t.equal(findAll(series[0], 'path').length, 1);
  t.equal(findAll(series[1], 'path').length, 0, 'one point: a marker, no line');
  const empty = parseSvg(lineChart({ title: 'none', x: { label: 'x' }, y: { label: 'y' }, series: [] }));
  t.equal(findAll(empty, 'text', 'no-data').length, 1);
});

t.test('charts - bar chart: one bar per valued case, the rule line where a bar of that value ends', async (t) => {
  const svg = barChart({
    title: 'bits of precision',
    valueLabel: 'bits',
    bars: [
      { label: '2-3-1/rk/seed1/default', value: 50.8, group: 'rk' },
      { label: '2-3-1/carlini/seed1/default', value: 36, group: 'carlini' },
      { label: 'failed', value: null, group: 'rk' },
      { label: 'exact', value: 60, text: 'exact', group: 'rk' },
    ],
    rule: { value: 36, label: '36 bits' },
  });
  const root = parseSvg(svg);
  const bars = findAll(root, 'rect', 'bar');
  t.same(bars.map((b) => b.attributes['data-label']), ['2-3-1/rk/seed1/default', '2-3-1/carlini/seed1/default', 'exact']);
  const rule = findAll(root, 'g', 'rule');
  t.equal(rule.length, 1);
  t.equal(rule[0].attributes['data-label'], '36 bits');
  const ruleX = Number(findAll(rule[0], 'line')[0].attributes.x1);
  const b36 = bars[1];
  t.ok(Math.abs(Number(b36.attributes.x) + Number(b36.attributes.width) - ruleX) < 0.002, 'the 36-bit bar ends on the rule');
  t.same(findAll(root, 'g', 'legend-entry').map((g) => g.attributes['data-label']), ['rk', 'carlini']);
  t.match(allText(root), /exact/);
  t.throws(() => barChart({ title: 't', valueLabel: 'v', bars: [{ label: 'a', value: 1 }, { label: 'b', value: Infinity }] }), {
    name: 'RangeError',
    message: /options\.bars\[1\]\.value must be a finite number or null/,
  });
});
