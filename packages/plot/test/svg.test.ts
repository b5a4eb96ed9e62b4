import t from 'tap';
import { drawLegend, element, escapeXml, formatNumber, svgDocument, text } from '../src/index.js';
import { allText, findAll, parseSvg } from './fixtures/parseSvg.js';

t.test('svg - escapeXml escapes markup characters and drops characters XML forbids', async (t) => {
  t.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
  t.equal(escapeXml('bell\u0007 tab\t'), 'bell tab\t');
  t.equal(escapeXml('lone \uD800 surrogate, pair \uD83D\uDE00'), 'lone  surrogate, pair \uD83D\uDE00');
});

t.test('svg - formatNumber trims zeros, never writes -0, refuses non-finite values', async (t) => {
  t.equal(formatNumber(12.5), '12.5');
  t.equal(formatNumber(3), '3');
  t.equal(formatNumber(1.23456, 4), '1.2346');
  t.equal(formatNumber(-0.0001), '0');
  t.equal(formatNumber(-2.5e-3, 4), '-0.0025');
  t.throws(() => formatNumber(NaN), { name: 'RangeError' });
  t.throws(() => formatNumber(Infinity), { name: 'RangeError' });
  t.throws(() => formatNumber(1, 1.5), { name: 'RangeError', message: /decimals/ });
});

t.test('svg - element writes escaped attributes, skips absent ones, self-closes when empty', async (t) => {
  t.equal(element('rect', { x: 1.23456, y: undefined, fill: 'a"b', hidden: false, 'data-on': true }), '<rect x="1.235" fill="a&quot;b" data-on="data-on"/>');
  t.equal(element('g', { class: 'x' }, ['<a/>', '<b/>']), '<g class="x"><a/><b/></g>');
  t.equal(text(1, 2, '<&>'), '<text x="1" y="2">&lt;&amp;&gt;</text>');
  t.throws(() => element('1bad'), { name: 'RangeError' });
  t.throws(() => element('g', { 'bad name': 1 }), { name: 'RangeError' });
});

t.test('svg - a document with a title, a legend and hostile labels parses as XML', async (t) => {
  const svg = svgDocument({ width: 200, height: 100, title: 'T <1>', description: 'd & e' }, [
    drawLegend([{ label: 'x < y', color: '#000' }, { label: '"quoted"', color: '#111', dash: '4 2', marker: 'line' }, { label: 'dot', color: '#222', marker: 'circle' }], {
      x: 10,
      y: 10,
      title: 'key',
    }),
  ]);
  t.ok(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg '));
  const root = parseSvg(svg);
  t.equal(root.attributes.viewBox, '0 0 200 100');
  t.same(findAll(root, 'g', 'legend-entry').map((g) => g.attributes['data-label']), ['x < y', '"quoted"', 'dot']);
  t.match(allText(root), 'T <1>');
  t.throws(() => svgDocument({ width: 0, height: 10 }, []), { name: 'RangeError', message: /options\.width/ });
});
