import { join } from 'node:path';
import t from 'tap';
import { forward, loadNetwork } from '@relurec/network';
import { relurec, serveOracle, writeTarget } from './fixtures/relurec.js';

t.test('oracle serve - prints its URL first and answers /info and /query; SIGTERM stops it with exit 0', async (t) => {
  const dir = t.testdir();
  const net = join(dir, 'net.json');
  await writeTarget(net, [3, 4, 2], 1);
  const served = await serveOracle(t, ['--target', net, '--port', '0']);
  t.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const info = await fetch(`${served.url}/info`);
  t.equal(info.status, 200);
  t.same(await info.json(), { inputDim: 3, outputDim: 2 });
  const inputs = [[0.5, -1, 2], [0, 0, 0]];
  const res = await fetch(`${served.url}/query`, { method: 'POST', body: JSON.stringify({ inputs }) });
  t.equal(res.status, 200);
  const { outputs } = (await res.json()) as { outputs: number[][] };
  const expected = forward(await loadNetwork(net), Float64Array.from(inputs.flat()), 2);
  t.same(outputs.flat(), Array.from(expected), 'exactly forward() of the file');
  const bad = await fetch(`${served.url}/query`, { method: 'POST', body: '{"inputs":[[1,2]]}' });
  t.equal(bad.status, 400, 'a row of the wrong width is refused');
  const { code, stderr } = await served.stop();
  t.equal(code, 0);
  t.match(stderr, /stopped after answering 2 queries/);
});

t.test('oracle serve - needs exactly one of --target/--onnx; oracle --nats needs a black box too', async (t) => {
  const none = await relurec(['oracle', 'serve', '--port', '0']);
  t.equal(none.code, 2);
  t.match(none.stderr, /exactly one of --target, --onnx/);
  const nats = await relurec(['oracle', '--nats', 'nats://127.0.0.1:4222']);
  t.equal(nats.code, 2);
  t.match(nats.stderr, /exactly one of --target, --onnx, --oracle/);
  const bare = await relurec(['oracle']);
  t.equal(bare.code, 2);
  t.match(bare.stderr, /oracle needs a subcommand or --nats/);
});
