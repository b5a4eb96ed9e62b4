import t from 'tap';
import { barelySeenWeight } from '../src/deeper/barelySeenWeight.js';

t.test('barelySeenWeight - the one weight a weak direction lies along, or none', async (t) => {
  // 20-30-30-20-1 rk 1's limiting row: 99.4 % on weight 25, the rest spread.
  t.equal(barelySeenWeight(Float64Array.of(0.04, 0.078, -0.028, 0.994, 0.05), 4), 3);
  t.equal(barelySeenWeight(Float64Array.of(0.6, -0.6, 0.5, 0.1, 0.1), 4), undefined, 'spread over several weights');
  // The bias entry (last) is not a weight: a direction along the bias names none.
  t.equal(barelySeenWeight(Float64Array.of(0.1, 0.1, 0.05, 0.0, 0.99), 4), undefined, 'along the bias');
  t.equal(barelySeenWeight(Float64Array.of(-0.95, 0.2, 0.2, 0.1, 0.0), 4), 0, 'either sign');
});
