import t from 'tap';
import { parseHeaderOption } from '../src/index.js';

t.test('header option - parses Name: value, trimming whitespace', async (t) => {
  t.same(parseHeaderOption('Authorization: Bearer abc.def'), { name: 'Authorization', value: 'Bearer abc.def' });
  t.same(parseHeaderOption('  X-Api-Key:k1  '), { name: 'X-Api-Key', value: 'k1' });
  t.same(parseHeaderOption('X-Target: http://host:8080/a'), { name: 'X-Target', value: 'http://host:8080/a' }, 'only the first colon splits');
});

t.test('header option - malformed text is a TypeError that does not repeat the secret', async (t) => {
  const cases: [string, RegExp][] = [
    ['Bearer s3cret', /must look like 'Name: value'.*no ':'/],
    [': s3cret', /name "" is not a valid header name/],
    ['Bad Name: s3cret', /name "Bad Name" is not a valid header name/],
    ['X-Key:', /header 'X-Key' has an empty value/],
    ['X-Key: a\r\nInjected: s3cret', /line break/],
  ];
  for (const [text, message] of cases) {
    const err = t.throws(() => parseHeaderOption(text), { name: 'TypeError', message }, JSON.stringify(text)) as unknown;
    t.notMatch((err as Error).message, /s3cret/, 'the value is not echoed');
  }
});
