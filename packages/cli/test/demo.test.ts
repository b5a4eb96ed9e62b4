import { join } from 'node:path';
import t from 'tap';
import { architecture, loadNetwork } from '@relurec/network';
import { relurec } from './fixtures/relurec.js';

t.test('demo - generates, serves over HTTP, recovers through the URL and compares (the README first command)', async (t) => {
  const dir = t.testdir();
  const run = await relurec(['demo', '--dir', dir]);
  t.equal(run.code, 0, "exit as recover's: 0, complete", { stderr: run.stderr });
  t.match(run.stdout, /serve it as a black box at http:\/\/127\.0\.0\.1:\d+/);
  t.match(run.stdout, /recovered 10-10-1 from oracle http:\/\/127\.0\.0\.1:\d+: COMPLETE/);
  t.match(run.stdout, /architecture\s+truth 10-10-1\s+recovered 10-10-1\s+match/);
  t.match(run.stdout, /fidelity\s+max\|f-f\^\|/);
  const rec = await loadNetwork(join(dir, 'recovered.json'));
  t.same(architecture(rec), [10, 10, 1]);
  t.match(rec.meta, { status: 'complete', settings: { source: /^oracle http:\/\/127\.0\.0\.1:\d+$/ } });
});
