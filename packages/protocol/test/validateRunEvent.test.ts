import t from 'tap';
import { validateRunEvent } from '../src/index.js';
import { sampleEvent } from './fixtures/messages.js';
import { expectRejections } from './fixtures/rejects.js';

t.test('validateRunEvent - run and cluster-wide events pass', async (t) => {
  t.ok(validateRunEvent(sampleEvent()));
  t.ok(validateRunEvent({ ...sampleEvent(), runId: '', kind: 'worker-joined' }));
});

t.test('validateRunEvent - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateRunEvent, sampleEvent(), [
    ['v', 2],
    ['runId', 'a b'],
    ['level', 'fatal'],
    ['kind', ''],
    ['message', 5],
    ['at', NaN],
  ]);
});
