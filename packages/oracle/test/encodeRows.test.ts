import t from 'tap';
import { encodeRows } from '../src/internal/encodeRows.js';

t.test('encodeRows - rows of JSON numbers that parse back to the same float64 bits', async (t) => {
  const values = Float64Array.of(0.1 + 0.2, -1e-320, 1.7976931348623157e308, 5e-324, -0, 1 / 3, 2 ** 53 + 2, -123.456e-7);
  const text = encodeRows(values, 2, 4);
  t.equal(text, '[[0.30000000000000004,-1e-320,1.7976931348623157e+308,5e-324],[0,0.3333333333333333,9007199254740994,-0.0000123456]]');
  const back = Float64Array.from((JSON.parse(text) as number[][]).flat());
  // -0 is written as 0 (JSON has no negative zero); every other value comes back bit for bit.
  t.same(Array.from(back), Array.from(values, (v) => (Object.is(v, -0) ? 0 : v)));
  t.equal(encodeRows(new Float64Array(0), 0, 3), '[]');
  t.equal(encodeRows(Float64Array.of(1, 2, 3), 3, 1), '[[1],[2],[3]]');
});
