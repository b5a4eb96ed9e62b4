import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { integerFlag, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

export interface ClusterUpConfig {
  /** Worker processes. */
  readonly workers: number;
  /** Threads per worker (default: cores / workers, at least 1). */
  readonly threads: number | undefined;
  /** Client port of nats-server; 0 picks a free one. */
  readonly natsPort: number;
  /** JetStream store and logs live here (kept across restarts: runs resume). */
  readonly dataDir: string;
}

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode} before accepting connections (see its log in the data dir)`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); r(true); });
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nats-server did not accept connections on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A whole cluster on this machine: nats-server (from PATH, JetStream on dataDir), the coordinator
 * and N workers as child processes, until SIGINT/SIGTERM; then everything stops, services first.
 */
export async function runClusterUp(config: ClusterUpConfig, io: CliIo): Promise<ExitCode> {
  const port = config.natsPort === 0 ? await freePort() : config.natsPort;
  const dataDir = resolve(config.dataDir);
  await mkdir(join(dataDir, 'jetstream'), { recursive: true });
  const conf = join(dataDir, 'nats-server.conf');
  await writeFile(conf, `# written by relurec cluster up\nport: ${port}\nhost: 127.0.0.1\nserver_name: relurec-local\n# tasks and fragments up to 8 MB inline (784-input runs reach a few MB); larger ones go through the payload object store\nmax_payload: 8MB\njetstream {\n  store_dir: "${join(dataDir, 'jetstream')}"\n}\n`);
  const nats = spawn('nats-server', ['-c', conf, '-l', join(dataDir, 'nats-server.log')], { stdio: 'ignore' });
  const spawnFailed = new Promise<never>((_, rej) => nats.once('error', (e: NodeJS.ErrnoException) => rej(e.code === 'ENOENT'
    ? new CliUsageError('nats-server is not on PATH: install it (Debian: apt-get install -y nats-server) or use embedded mode (no --nats)')
    : e)));
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    const exits = children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('close', r))));
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(exits);
    const natsExit = new Promise((r) => (nats.exitCode !== null ? r(null) : nats.once('close', r)));
    nats.kill('SIGTERM');
    await natsExit;
  };
  try {
    await Promise.race([waitForPort(port, nats, 15_000), spawnFailed]);
    const url = `nats://127.0.0.1:${port}`;
    const threads = config.threads ?? Math.max(1, Math.floor(availableParallelism() / config.workers));
    const service = (args: string[], name: string) => {
      const c = spawn(process.execPath, [MAIN, ...args, '--nats', url], { stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr!.setEncoding('utf8').on('data', (s: string) => io.stderr(s.split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('')));
      children.push(c);
      return c;
    };
    service(['coordinator'], 'coordinator');
    service(['merger'], 'merger');
    for (let i = 0; i < config.workers; i++) service(['worker', '--threads', String(threads)], `worker ${i + 1}`);
    io.stdout(`${url}\n`);
    io.stderr(`relurec cluster up: nats-server on ${url} (JetStream in ${dataDir}), a coordinator, a merger and ${config.workers} worker${config.workers > 1 ? 's' : ''} of ${threads} thread${threads > 1 ? 's' : ''}\n`
      + `  submit:  relurec recover --nats ${url} --target net.json --out rec.json\n  watch:   relurec dashboard --nats ${url}\n  stop:    Ctrl-C\n`);
    const signal = await io.stopRequested();
    io.stderr(`relurec cluster up: ${signal}, stopping the services, then nats-server\n`);
  } finally {
    await stopAll();
  }
  return ExitCode.done;
}

export function clusterUpConfig(argv: Record<string, unknown>): ClusterUpConfig {
  const natsPort = argv['nats-port'] === undefined ? 0 : integerFlag(argv['nats-port'], '--nats-port', 0);
  if (natsPort > 65535) throw new CliUsageError(`--nats-port must be a port number (0-65535), got ${natsPort}`, '--nats-port');
  return Object.freeze({
    workers: integerFlag(argv.workers, '--workers', 1),
    threads: argv.threads === undefined ? undefined : integerFlag(argv.threads, '--threads', 1),
    natsPort,
    dataDir: argv['data-dir'] === undefined ? '.relurec-cluster' : stringFlag(argv['data-dir'], '--data-dir'),
  });
}

export function clusterCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'cluster',
    describe: 'A whole local cluster: `cluster up --workers N` (nats-server from PATH, coordinator, workers)',
    builder: (y: Argv) =>
      y.command({
        command: 'up',
        describe: 'Start nats-server with JetStream, a coordinator and N workers; Ctrl-C stops them all',
        builder: (yy: Argv) =>
          yy
            .option('workers', { type: 'number', default: 2, describe: 'Worker processes' })
            .option('threads', { type: 'number', describe: 'Threads per worker (default: cores / workers)' })
            .option('nats-port', { type: 'number', describe: 'Client port of nats-server (default: a free port, printed)' })
            .option('data-dir', { type: 'string', describe: 'JetStream store and logs (default .relurec-cluster); runs resume after a restart' }),
        handler: ctx.run((argv) => runClusterUp(clusterUpConfig(argv), ctx.io)),
      }),
    handler: ctx.run(async () => {
      throw new CliUsageError('cluster needs a subcommand: relurec cluster up --workers N');
    }),
  };
}
