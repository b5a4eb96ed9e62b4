import { connect } from 'node:net';
import t from 'tap';
import { startNatsServer } from './natsServer.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

t.test('natsServer - starts on a free port, restarts on the same port and store, stops', async (t) => {
  const server = await startNatsServer({ jetstream: true });
  t.teardown(() => server.stop());
  t.match(server.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
  t.not(server.port, 4222, 'never the default port');
  t.ok(await accepts(server.port));
  const { port, storeDir, pid } = server;
  await server.restart();
  t.equal(server.port, port, 'same port after restart');
  t.equal(server.storeDir, storeDir, 'same store');
  t.not(server.pid, pid, 'a new process');
  t.ok(await accepts(server.port));
  await server.kill9();
  t.notOk(await accepts(port), 'gone after kill9');
  await server.restart();
  t.ok(await accepts(port), 'back after a restart that follows a kill');
  await server.stop();
  t.notOk(await accepts(port), 'gone after stop');
});

t.test('natsServer - a missing binary says how to install it', async (t) => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  t.teardown(() => {
    process.env.PATH = path;
  });
  await t.rejects(startNatsServer(), { message: /nats-server is not on PATH: install it with `apt-get install -y nats-server`/ });
});

t.test('natsServer - a bad config fails with the server log', async (t) => {
  await t.rejects(startNatsServer({ config: 'this is not { valid' }), { message: /nats-server exited .* before it was ready/ });
});
