import { connect } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { generateNetwork, saveNetwork } from '@relurec/network';
import { startRelurec, waitFor } from '../helpers/relurecProcess.js';

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
  s.once('error', () => resolve(false));
});

t.test('cluster up - starts nats-server, a coordinator and workers; a run completes on it; Ctrl-C stops everything', async (t) => {
  const dir = t.testdir({});
  const target = join(dir, 'net.json');
  await saveNetwork(target, generateNetwork({ architecture: [6, 6, 1], seed: 2 }));
  const up = startRelurec(t, ['cluster', 'up', '--workers', '2', '--threads', '1', '--data-dir', join(dir, 'cluster')]);
  await waitFor(() => /^nats:\/\/127\.0\.0\.1:\d+$/m.test(up.stdout()), 20_000, `cluster up printed its URL: ${up.stderr()}`);
  const url = up.stdout().trim().split('\n')[0];
  const port = Number(url.split(':').at(-1));
  const recover = startRelurec(t, ['recover', '--nats', url, '--target', target, '--out', join(dir, 'rec.json')]);
  t.equal(await recover.exited, 0, `the run completes on the local cluster (${recover.stdout().split('\n')[0]})`);
  up.child.kill('SIGINT');
  t.equal(await up.exited, 0, 'Ctrl-C ends it with exit 0');
  t.notOk(await portOpen(port), 'nats-server is gone');
  t.match(up.stderr(), /\[worker 2\]/, 'the services logged through it');
});
