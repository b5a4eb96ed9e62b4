import t from 'tap';
import { formatTickLabel, linearScale, logScale, niceDomain, niceStep } from '../src/index.js';

t.test('scales - linear maps the domain onto the range and ticks at 1-2-5 steps', async (t) => {
  const s = linearScale([-3, 3], [100, 400]);
  t.equal(s.map(-3), 100);
  t.equal(s.map(3), 400);
  t.equal(s.map(0), 250);
  t.same(s.ticks().map((k) => k.label), ['-2', '0', '2']);
  t.same(linearScale([0, 1], [0, 1]).ticks().map((k) => k.label), ['0', '0.2', '0.4', '0.6', '0.8', '1']);
  t.same(linearScale([0, 0.3], [0, 1], { tickCount: 3 }).ticks().map((k) => k.label), ['0', '0.1', '0.2', '0.3']);
  const y = linearScale([0, 10], [300, 0]);
  t.equal(y.map(10), 0, 'a decreasing range (y axis) maps high values up');
  t.equal(niceStep(0.37), 0.5);
  t.equal(niceStep(13), 20);
});

t.test('scales - log ticks at powers of ten, with 2 and 5 when few decades fit', async (t) => {
  const s = logScale([10, 10000], [0, 300]);
  t.equal(s.map(10), 0);
  t.equal(s.map(100), 100, 'one decade = 100 px (hand computation: 300 px / 3 decades)');
  t.same(s.ticks().map((k) => k.label), ['10', '100', '1000', '10000']);
  t.same(logScale([1, 10], [0, 1]).ticks().map((k) => k.label), ['1', '2', '5', '10']);
  t.same(logScale([1e-3, 1e-2], [0, 1]).ticks().map((k) => k.label), ['0.001', '0.002', '0.005', '0.01']);
  t.same(logScale([1e-3, 1e-1], [0, 1]).ticks().map((k) => k.label), ['0.001', '0.01', '0.1'], 'three decades: powers only');
  t.same(logScale([1e4, 1e7], [0, 1]).ticks().map((k) => k.label), ['10000', '1e5', '1e6', '1e7']);
  t.throws(() => logScale([0, 10], [0, 1]), { name: 'RangeError', message: /must be positive/ });
  t.throws(() => linearScale([1, 1], [0, 1]), { name: 'RangeError', message: /domain/ });
  t.throws(() => linearScale([0, 1], [5, 5]), { name: 'RangeError', message: /range/ });
});

t.test('scales - niceDomain rounds outwards and ignores what the scale cannot show', async (t) => {
  t.same(niceDomain([13, 241, 3544], 'log'), [10, 10000]);
  t.same(niceDomain([100], 'log'), [100, 1000]);
  t.same(niceDomain([0, -1, 5, NaN], 'log'), [1, 10]);
  t.same(niceDomain([], 'log'), [1, 10]);
  t.same(niceDomain([0.3, 2.7], 'linear'), [0, 3]);
  t.same(niceDomain([3, 7], 'linear', { includeZero: true }), [0, 8]);
  t.same(niceDomain([5], 'linear'), [4, 6]);
  t.equal(formatTickLabel(2e6), '2e6');
  t.equal(formatTickLabel(0), '0');
});
