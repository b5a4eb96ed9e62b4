import t from 'tap';
import { validateHeartbeat } from '../src/index.js';
import { sampleHeartbeat } from './fixtures/messages.js';
import { DELETE, expectRejections } from './fixtures/rejects.js';

t.test('validateHeartbeat - a valid beat passes', async (t) => {
  t.ok(validateHeartbeat(sampleHeartbeat()));
  t.ok(validateHeartbeat({ ...sampleHeartbeat(), current: [], state: 'idle' }));
});

t.test('validateHeartbeat - each bad field is rejected by name', async (t) => {
  expectRejections(t, validateHeartbeat, sampleHeartbeat(), [
    ['v', '1'],
    ['workerId', ''],
    ['host', DELETE],
    ['pid', 0],
    ['state', 'sleeping'],
    ['threads', -1],
    ['current', {}],
    ['current[0].runId', ''],
    ['current[0].taskId', 'x'],
    ['current[0].kind', ''],
    ['tasksDone', -1],
    ['queries', 1.5],
    ['queriesPerSecond', NaN],
    ['cpu', -1],
    ['rss', Infinity],
    ['errors', null],
    ['at', -1],
    ['intervalMs', 0],
  ]);
});
