import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Subjects a user may or may not publish or subscribe to (nats-server permission syntax). */
export interface NatsPermission {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

/** A user of the server's `authorization` block. */
export interface NatsUser {
  readonly user: string;
  readonly password: string;
  readonly permissions?: { readonly publish?: NatsPermission; readonly subscribe?: NatsPermission };
}

/** Who may connect: users with passwords (and permissions), or one token. Default: anyone. */
export interface NatsAuth {
  readonly users?: readonly NatsUser[];
  readonly token?: string;
}

export interface StartNatsServerOptions {
  /** Enable JetStream with a fresh store_dir. Default true. */
  readonly jetstream?: boolean;
  readonly auth?: NatsAuth;
  /** Extra configuration text appended verbatim (nats-server 2.9 syntax), e.g. a `tls { ... }` block. */
  readonly config?: string;
  /** `server_name`; default `relurec-test-<n>`. */
  readonly serverName?: string;
  /** Open the HTTP monitoring port (on a free port). Default false. */
  readonly monitoring?: boolean;
}

/** A running nats-server started by {@link startNatsServer}. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` (or `tls://` with a tls block). */
  readonly url: string;
  readonly port: number;
  /** JetStream store directory, kept across restart(). */
  readonly storeDir: string;
  /** HTTP monitoring URL when `monitoring` was asked for. */
  readonly monitorUrl: string | undefined;
  /** Process id of the current server process. */
  readonly pid: number;
  /** The `server_name` it runs with (JetStream names stream leaders by it). */
  readonly serverName: string;
  /** Ends the server gracefully (SIGTERM) and waits for it; a no-op when it is not running. */
  stop(): Promise<void>;
  /** Ends the server at once (SIGKILL), as a crash would. */
  kill9(): Promise<void>;
  /** Stops the server if it runs and starts it again on the same port with the same store. */
  restart(): Promise<void>;
  /** The server's log so far (its stderr, the last 64 KB). */
  log(): string;
}

/** Extra settings a cluster node gets. */
interface ClusterSettings {
  readonly name: string;
  readonly port: number;
  readonly routes: readonly number[];
}

const STARTUP_TIMEOUT_MS = 15_000;
const LOG_LIMIT = 64 * 1024;
let serial = 0;
const cleanups = new Set<() => void>();
process.once('exit', () => {
  for (const cleanup of cleanups) cleanup();
});

/**
 * Starts a nats-server from PATH for one test: a config with port -1 (a free port), a fresh temporary
 * store_dir and ports_file_dir; reads the ports file and waits until a TCP connect succeeds. Servers
 * and their directories are removed when the test process exits; register `t.teardown(server.stop)`.
 * @throws Error saying how to install nats-server when it is not on PATH.
 */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  return startNode(options, undefined);
}

/** A JetStream cluster started by {@link startNatsCluster}. */
export interface NatsClusterHandle {
  /** Client URL of each node. */
  readonly urls: readonly string[];
  readonly nodes: readonly NatsServerHandle[];
  /** Stops every node. */
  stop(): Promise<void>;
}

/**
 * Starts a JetStream cluster of `size` nodes on loopback (free client ports via port -1, free route
 * ports picked before start) and waits until every node sees a JetStream meta leader.
 */
export async function startNatsCluster(size = 3, options: Omit<StartNatsServerOptions, 'serverName' | 'monitoring'> = {}): Promise<NatsClusterHandle> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be an integer >= 1 (got ${size})`);
  const routePorts = await freePorts(size);
  const name = `relurec-test-${process.pid}-${serial++}`;
  const nodes = await Promise.all(
    routePorts.map((port, i) =>
      startNode(
        { ...options, jetstream: true, monitoring: true, serverName: `${name}-n${i}` },
        { name, port, routes: routePorts.filter((p) => p !== port) },
      ),
    ),
  );
  const cluster: NatsClusterHandle = {
    urls: nodes.map((n) => n.url),
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  try {
    await waitForMetaLeader(nodes);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

async function startNode(options: StartNatsServerOptions, cluster: ClusterSettings | undefined): Promise<NatsServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'relurec-nats-'));
  const storeDir = join(dir, 'store');
  const portsDir = join(dir, 'ports');
  mkdirSync(portsDir);
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  cleanups.add(removeDir);
  const serverName = options.serverName ?? `relurec-test-${process.pid}-${serial++}`;

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let logText = '';
  let port = -1;
  let url = '';
  let monitorUrl: string | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  cleanups.add(killOnExit);

  async function launch(): Promise<void> {
    const confPath = join(dir, 'nats.conf');
    await writeFile(confPath, renderConfig({ ...options, serverName }, { port, storeDir, portsDir, cluster }));
    logText = '';
    const proc = spawn('nats-server', ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const append = (chunk: Buffer): void => {
      logText = (logText + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    proc.stdout!.on('data', append);
    proc.stderr!.on('data', append);
    let exitCode: number | string | null | undefined;
    exited = new Promise((resolve) => {
      const done = (code: number | string | null): void => {
        exitCode ??= code;
        if (child === proc) child = undefined;
        resolve();
      };
      proc.once('exit', (code, signal) => done(code ?? signal));
      // A process that could not be spawned emits 'error' and never 'exit'.
      proc.once('error', () => done('spawn failed'));
    });
    const spawnError = new Promise<never>((_, reject) => {
      proc.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'ENOENT'
            ? new Error('nats-server is not on PATH: install it with `apt-get install -y nats-server` (Debian/Ubuntu) and run the tests again', { cause: err })
            : err,
        );
      });
    });
    const ports = await Promise.race([spawnError, readPortsFile(portsDir, proc, () => exitCode, () => logText)]);
    url = ports.nats[0]!;
    port = Number(new URL(url).port);
    monitorUrl = ports.http?.[0] ?? ports.monitoring?.[0];
    await waitForTcp(port, () => exitCode, () => logText);
  }

  async function terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const proc = child;
    if (proc === undefined) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  try {
    await launch();
  } catch (err) {
    await terminate('SIGKILL');
    removeDir();
    throw err;
  }

  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    storeDir,
    get monitorUrl() {
      return monitorUrl;
    },
    get pid() {
      return child?.pid ?? -1;
    },
    serverName,
    stop: () => terminate('SIGTERM'),
    kill9: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGTERM');
      await launch();
    },
    log: () => logText,
  };
}

/** nats-server 2.9 configuration text. A port of -1 lets the server pick a free one. */
function renderConfig(
  options: StartNatsServerOptions & { serverName: string },
  at: { port: number; storeDir: string; portsDir: string; cluster: ClusterSettings | undefined },
): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = [
    `server_name: ${q(options.serverName)}`,
    `listen: "127.0.0.1:${at.port}"`,
    `ports_file_dir: ${q(at.portsDir)}`,
  ];
  if (options.monitoring === true) lines.push('http: "127.0.0.1:-1"');
  if (options.jetstream !== false) lines.push(`jetstream { store_dir: ${q(at.storeDir)} }`);
  if (at.cluster !== undefined) {
    lines.push(
      `cluster {`,
      `  name: ${q(at.cluster.name)}`,
      `  listen: "127.0.0.1:${at.cluster.port}"`,
      `  routes: [${at.cluster.routes.map((p) => q(`nats-route://127.0.0.1:${p}`)).join(', ')}]`,
      `}`,
    );
  }
  const auth = options.auth;
  if (auth?.token !== undefined) lines.push(`authorization { token: ${q(auth.token)} }`);
  if (auth?.users !== undefined) {
    const users = auth.users.map((u) => {
      const perms = u.permissions === undefined ? '' : `, permissions: ${JSON.stringify(u.permissions)}`;
      return `    { user: ${q(u.user)}, password: ${q(u.password)}${perms} }`;
    });
    lines.push('authorization {', '  users: [', users.join(',\n'), '  ]', '}');
  }
  if (options.config !== undefined) lines.push(options.config);
  return `${lines.join('\n')}\n`;
}

interface PortsFile {
  nats: string[];
  cluster?: string[];
  http?: string[];
  monitoring?: string[];
}

async function readPortsFile(
  portsDir: string,
  proc: ChildProcess,
  exitCode: () => unknown,
  log: () => string,
): Promise<PortsFile> {
  const file = join(portsDir, `nats-server_${proc.pid}.ports`);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exitCode() !== undefined) throw new Error(`nats-server exited (${String(exitCode())}) before it was ready:\n${log()}`);
    try {
      const names = await readdir(portsDir);
      if (names.includes(`nats-server_${proc.pid}.ports`)) {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as PortsFile;
        if (Array.isArray(parsed.nats) && parsed.nats.length > 0) return parsed;
      }
    } catch {
      // the file may be half written: read it again
    }
    if (Date.now() > deadline) throw new Error(`nats-server wrote no ports file within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
    await sleep(20);
  }
}

async function waitForTcp(port: number, exitCode: () => unknown, log: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exitCode() !== undefined) throw new Error(`nats-server exited (${String(exitCode())}):\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server accepted no TCP connection on port ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${log()}`);
    await sleep(20);
  }
}

/** Waits until every node's /jsz reports a JetStream meta leader (a cluster that can create streams). */
async function waitForMetaLeader(nodes: readonly NatsServerHandle[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const leaders = await Promise.all(
      nodes.map(async (node) => {
        try {
          const response = await fetch(`${node.monitorUrl}/jsz`);
          const jsz = (await response.json()) as { meta_cluster?: { leader?: string } };
          return jsz.meta_cluster?.leader ?? '';
        } catch {
          return '';
        }
      }),
    );
    if (leaders.every((l) => l !== '')) return;
    if (Date.now() > deadline) throw new Error(`the JetStream cluster elected no meta leader within 30 s:\n${nodes[0]!.log()}`);
    await sleep(100);
  }
}

/** `count` distinct free TCP ports on 127.0.0.1 (bound and released; a route port cannot be -1). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
