import t from 'tap';
import { spreadByIndex } from '../src/internal/spreadByIndex.js';

t.test('spreadByIndex - every item, in order, when there are no more than asked', async (t) => {
  t.same(spreadByIndex([1, 2, 3], 3), [1, 2, 3]);
  t.same(spreadByIndex([1, 2], 8), [1, 2]);
  t.same(spreadByIndex([], 4), []);
});

t.test('spreadByIndex - otherwise item floor(i n / count), from the first', async (t) => {
  t.same(spreadByIndex([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4), [0, 2, 5, 7]);
  t.same(spreadByIndex(Array.from({ length: 512 }, (_, i) => i), 64), Array.from({ length: 64 }, (_, i) => 8 * i));
});
