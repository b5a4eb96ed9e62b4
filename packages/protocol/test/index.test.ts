import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import * as api from '../src/index.js';

// Kept inside this package (tap's default is <cwd>/tap-snapshots); regenerate with TAP_SNAPSHOT=1.
t.snapshotFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'tap-snapshots', 'test', 'index.test.ts.test.cjs');

t.test('index - export list', async (t) => {
  t.matchSnapshot(Object.keys(api).sort(), 'runtime exports of @relurec/protocol');
});
