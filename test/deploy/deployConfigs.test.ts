// Checks of deploy/: the NATS configs are valid for the nats-server on PATH (`nats-server -t`), the
// docker compose and Kubernetes files have the services, kinds and names the docs promise, and the
// authorization really works: a real nats-server started from deploy/nats/single.conf refuses
// anonymous clients and lets each service publish only what deploy/nats/auth.conf allows (the
// worker can pull and ack tasks, publish fragments and heartbeats and read runs and models, but
// cannot publish tasks or write KV).
//
// nats-server is required (never skipped): Debian/Ubuntu `apt-get install -y nats-server`
// (.ci/run installs it).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { connect, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is checked field by field */
type Yaml = any;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const NATS_DIR = join(DEPLOY, 'nats');
const K8S_DIR = join(DEPLOY, 'k8s');

const NATS_SERVER_HINT =
  'nats-server is not on PATH: install it (Debian/Ubuntu: `sudo apt-get install -y nats-server`; .ci/run does this)';

const SERVICES = ['coordinator', 'merger', 'oracle', 'worker'] as const;
const USERS = ['coordinator', 'merger', 'oracle', 'worker', 'dashboard'] as const;
type User = (typeof USERS)[number];
/** Every secret the NATS configs read from the environment. */
const PASSWORD_VARS = [
  ...USERS.map((u) => `RELUREC_${u.toUpperCase()}_PASSWORD`),
  'RELUREC_SYS_PASSWORD',
  'NATS_ROUTE_PASSWORD',
];

const read = (path: string): string => readFileSync(path, 'utf8');

/** A password nats-server reads back as the same string: letters and digits, a letter first. */
const newPassword = (): string => `k${randomBytes(18).toString('hex')}`;

/** Environment for nats-server: PATH plus every password and the cluster route URLs. */
function natsEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const name of PASSWORD_VARS) env[name] = newPassword();
  for (const i of [1, 2, 3]) env[`NATS_ROUTE_URL_${i}`] = `nats://route:${env.NATS_ROUTE_PASSWORD}@nats${i}:6222`;
  return env;
}

function natsServerVersion(): string | null {
  const r = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) return null;
  return (r.stdout + r.stderr).trim();
}

/** `nats-server -t -c file` (test mode: parse and check the config, start nothing). */
function natsTest(file: string, env: Record<string, string>): { code: number | null; output: string } {
  const r = spawnSync('nats-server', ['-t', '-c', file], { encoding: 'utf8', env, timeout: 20_000 });
  if (r.error !== undefined) throw new Error(`${NATS_SERVER_HINT} (${r.error.message})`);
  return { code: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** `n` distinct free TCP ports on 127.0.0.1 (all held open until each is known, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
      const srv = createServer();
      srv.on('error', fail);
      srv.listen(0, '127.0.0.1', () => ok(srv));
    })),
  );
  const ports = servers.map((srv) => {
    const addr = srv.address();
    return typeof addr === 'object' && addr !== null ? addr.port : 0;
  });
  await Promise.all(servers.map((srv) => new Promise<void>((ok) => srv.close(() => ok()))));
  return ports;
}

/** Replaces the one line `re` matches; throws when it matches no line (the config changed shape). */
function replaceLine(text: string, re: RegExp, line: string, what: string): string {
  if (!re.test(text)) throw new Error(`single.conf: no ${what} line to rewrite (${re})`);
  return text.replace(re, line);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `KEY=value` lines of an env file. */
function envFileKeys(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of read(path).split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m !== null) out.set(m[1]!, m[2]!);
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// NATS configs
// -------------------------------------------------------------------------------------------------

const confFiles = readdirSync(NATS_DIR)
  .filter((f) => f.endsWith('.conf'))
  .sort();

t.test('nats-server is installed', async (t) => {
  const version = natsServerVersion();
  if (version === null) t.fail(NATS_SERVER_HINT);
  else t.pass(version);
});

t.test('every deploy/nats/*.conf passes `nats-server -t`', async (t) => {
  t.ok(confFiles.length >= 5, `auth, single and three cluster nodes (found: ${confFiles.join(', ')})`);
  for (const f of ['auth.conf', 'single.conf', 'cluster-node1.conf', 'cluster-node2.conf', 'cluster-node3.conf']) {
    t.ok(confFiles.includes(f), `deploy/nats/${f} exists`);
  }
  const env = natsEnv();
  for (const f of confFiles) {
    const { code, output } = natsTest(join(NATS_DIR, f), env);
    t.equal(code, 0, `nats-server -t -c deploy/nats/${f}: ${output}`);
    t.match(output, /is valid/);
  }
});

t.test('the configs hold no password: a missing secret makes nats-server refuse the config', async (t) => {
  const env = natsEnv();
  delete env.RELUREC_WORKER_PASSWORD;
  const { code, output } = natsTest(join(NATS_DIR, 'single.conf'), env);
  t.not(code, 0, 'refused');
  t.match(output, /RELUREC_WORKER_PASSWORD/, 'names the missing variable');
  const auth = read(join(NATS_DIR, 'auth.conf'));
  for (const user of USERS) {
    t.match(auth, new RegExp(`user = ${user},\\s+password = \\$RELUREC_${user.toUpperCase()}_PASSWORD,\\s+permissions = \\$${user.toUpperCase()}_PERMISSIONS`), `user ${user}: password from the environment, own permission set`);
  }
  const settings = auth
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
  t.notMatch(settings, /no_auth_user/, 'no anonymous user (no_auth_user)');
});

t.test('cluster-node{1,2,3}.conf: one cluster, authenticated routes, JetStream limits, same auth', async (t) => {
  const strip = (text: string) =>
    text
      .split('\n')
      .filter((l) => !l.startsWith('#') && !/^server_name:/.test(l))
      .join('\n');
  const texts = [1, 2, 3].map((i) => read(join(NATS_DIR, `cluster-node${i}.conf`)));
  texts.forEach((text, k) => {
    const i = k + 1;
    t.match(text, new RegExp(`^server_name: nats${i}$`, 'm'), `node ${i}: server_name nats${i}`);
    t.equal(strip(text), strip(texts[0]!), `node ${i} differs from node 1 only in server_name`);
  });
  const conf = texts[0]!;
  t.match(conf, /^cluster \{[\s\S]*name: relurec/m, 'cluster block with a name');
  t.match(conf, /authorization \{\s*user: route\s*password: \$NATS_ROUTE_PASSWORD/, 'route authorization from the environment');
  for (const i of [1, 2, 3]) t.match(conf, new RegExp(`\\$NATS_ROUTE_URL_${i}\\b`), `route to node ${i}`);
  t.match(conf, /jetstream \{[^}]*store_dir:[^}]*max_memory_store: \S+[^}]*max_file_store: \S+/, 'JetStream file store with max sizes');
  t.match(conf, /^include \.\/auth\.conf$/m, 'includes auth.conf');
  t.match(read(join(NATS_DIR, 'single.conf')), /^include \.\/auth\.conf$/m, 'single.conf includes the same auth.conf');
});

t.test('single.conf: its commented TLS block is valid once certificates exist', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'relurec-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', join(dir, 'server-key.pem'), '-out', join(dir, 'server-cert.pem')],
    { encoding: 'utf8' },
  );
  if (ssl.error !== undefined || ssl.status !== 0) {
    t.fail(`openssl could not make a test certificate (apt-get install -y openssl): ${ssl.error?.message ?? ssl.stderr}`);
    return;
  }
  copyFileSync(join(dir, 'server-cert.pem'), join(dir, 'ca.pem'));
  const lines = read(join(NATS_DIR, 'single.conf')).split('\n');
  const start = lines.findIndex((l) => /^# tls \{/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^# \}/.test(l));
  t.ok(start >= 0 && end > start, 'single.conf shows a commented tls { ... } block');
  const tlsBlock = lines
    .slice(start, end + 1)
    .map((l) => l.replace(/^# ?/, '').replaceAll('/etc/nats/certs/', `${dir}/`))
    .join('\n');
  t.match(tlsBlock, /cert_file[\s\S]*key_file[\s\S]*ca_file[\s\S]*verify: true/);
  const conf = lines.slice(0, start).join('\n') + '\n' + tlsBlock + '\n';
  copyFileSync(join(NATS_DIR, 'auth.conf'), join(dir, 'auth.conf'));
  writeFileSync(join(dir, 'single-tls.conf'), conf);
  const { code, output } = natsTest(join(dir, 'single-tls.conf'), natsEnv());
  t.equal(code, 0, `TLS variant is valid: ${output}`);
});

// -------------------------------------------------------------------------------------------------
// docker compose
// -------------------------------------------------------------------------------------------------

function loadCompose(file: string): Yaml {
  const doc = parse(read(join(DEPLOY, file)), { merge: true });
  return doc;
}

/** Variables a compose file requires (`${NAME:?...}`) must all be in .env.example. */
function requiredComposeVars(file: string): string[] {
  return [...new Set([...read(join(DEPLOY, file)).matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1]!))];
}

/** The assertions the helpers below use (a tap subtest has them all). */
interface Asserts {
  ok(value: unknown, message: string): boolean;
  equal(found: unknown, wanted: unknown, message: string): boolean;
  match(found: unknown, pattern: unknown, message: string): boolean;
}

function checkRelurecService(t: Asserts, svc: Yaml, name: string, natsServices: string[]): void {
  t.ok(svc, `service ${name}`);
  if (svc === undefined) return;
  const command: string[] = svc.command.map(String);
  const cmd = name === 'dashboard' ? 'dashboard' : name;
  t.equal(command[0], cmd, `${name} runs \`relurec ${cmd}\``);
  t.ok(command.includes('--nats'), `${name} gets --nats`);
  t.equal(command[command.indexOf('--user') + 1], name, `${name} connects as NATS user ${name}`);
  t.match(command[command.indexOf('--password') + 1], new RegExp(`^\\$\\{RELUREC_${name.toUpperCase()}_PASSWORD:\\?`), `${name} password from the environment`);
  t.equal(svc.build?.dockerfile, 'deploy/Dockerfile', `${name} is built from deploy/Dockerfile`);
  t.equal(svc.build?.context, '..', `${name}: build context is the repository root`);
  for (const n of natsServices) {
    t.equal(svc.depends_on?.[n]?.condition, 'service_healthy', `${name} waits for ${n} to be healthy`);
  }
}

t.test('docker-compose.yml: 3 NATS nodes with configs, data volumes and healthchecks; scalable workers', async (t) => {
  const compose = loadCompose('docker-compose.yml');
  const services = compose.services;
  const natsNodes = ['nats1', 'nats2', 'nats3'];
  const natsServices = Object.keys(services).filter((s) => String(services[s].image ?? '').startsWith('nats:'));
  t.same(natsServices.sort(), natsNodes, 'exactly three NATS services');
  natsNodes.forEach((n, k) => {
    const svc = services[n];
    t.match(svc.image, /^nats:2\.10-alpine$/, `${n}: official nats:2.10-alpine image`);
    const conf = `cluster-node${k + 1}.conf`;
    t.ok(svc.command.join(' ').includes(`/etc/nats/${conf}`), `${n} runs with ${conf}`);
    t.ok(existsSync(join(NATS_DIR, conf)), `${conf} exists`);
    t.ok(svc.volumes.includes('./nats:/etc/nats:ro'), `${n} mounts deploy/nats read-only`);
    t.ok(svc.volumes.includes(`${n}-data:/data`), `${n} keeps JetStream data in volume ${n}-data`);
    t.ok(compose.volumes && `${n}-data` in compose.volumes, `volume ${n}-data is declared`);
    t.ok(svc.healthcheck?.test?.join(' ').includes('/healthz'), `${n} has a /healthz healthcheck`);
    for (const v of [...PASSWORD_VARS, 'NATS_ROUTE_URL_1', 'NATS_ROUTE_URL_2', 'NATS_ROUTE_URL_3']) {
      t.ok(svc.environment?.[v], `${n} gets ${v}`);
    }
  });
  for (const name of SERVICES) checkRelurecService(t, services[name], name, natsNodes);
  checkRelurecService(t, services.dashboard, 'dashboard', natsNodes);
  t.same(services.dashboard.profiles, ['tools'], 'the dashboard is an opt-in tool');

  const worker = services.worker;
  t.equal(worker.container_name, undefined, 'worker has no container_name (scalable)');
  t.equal(worker.ports, undefined, 'worker publishes no ports (scalable)');
  t.ok(worker.deploy?.replicas !== undefined, 'worker sets deploy.replicas');
  t.ok(worker.command.includes('--threads'), 'worker sets --threads');
  for (const name of ['coordinator', 'merger', 'oracle']) {
    t.equal(services[name].deploy?.replicas, undefined, `${name} runs as one instance`);
  }
  const oracle = services.oracle;
  t.ok(oracle.command.includes('--target'), 'oracle serves a --target');
  t.ok(oracle.volumes.some((v: string) => v.endsWith(':/targets:ro')), 'oracle mounts the targets folder');
  const target = JSON.parse(read(join(DEPLOY, 'examples', 'net.json')));
  t.equal(target.format, 'relu-net', 'the default target deploy/examples/net.json is a relu-net file');

  const example = envFileKeys(join(DEPLOY, '.env.example'));
  for (const v of requiredComposeVars('docker-compose.yml')) t.ok(example.has(v), `.env.example lists ${v}`);
  for (const v of PASSWORD_VARS) t.ok(example.has(v), `.env.example lists ${v}`);
});

t.test('docker-compose.lite.yml: one NATS node (single.conf) and the same services', async (t) => {
  const compose = loadCompose('docker-compose.lite.yml');
  const services = compose.services;
  const natsServices = Object.keys(services).filter((s) => String(services[s].image ?? '').startsWith('nats:'));
  t.same(natsServices, ['nats'], 'one NATS service');
  t.ok(services.nats.command.join(' ').includes('/etc/nats/single.conf'), 'runs single.conf');
  t.ok(services.nats.healthcheck?.test?.join(' ').includes('/healthz'), 'healthcheck');
  t.ok(services.nats.volumes.includes('nats-data:/data'), 'JetStream data volume');
  for (const v of PASSWORD_VARS.filter((v) => v !== 'NATS_ROUTE_PASSWORD')) t.ok(services.nats.environment?.[v], `nats gets ${v}`);
  for (const name of SERVICES) checkRelurecService(t, services[name], name, ['nats']);
  t.equal(services.worker.container_name, undefined, 'worker is scalable');
  const example = envFileKeys(join(DEPLOY, '.env.example'));
  for (const v of requiredComposeVars('docker-compose.lite.yml')) t.ok(example.has(v), `.env.example lists ${v}`);
});

// -------------------------------------------------------------------------------------------------
// Dockerfile
// -------------------------------------------------------------------------------------------------

t.test('Dockerfile: Node 20 slim, the repo pnpm, frozen lockfile, build, the CLI as entrypoint', async (t) => {
  const dockerfile = read(join(DEPLOY, 'Dockerfile'));
  const pkg = JSON.parse(read(join(ROOT, 'package.json')));
  const pnpmVersion = String(pkg.packageManager).replace(/^pnpm@/, '');
  t.match(dockerfile, /^ARG NODE_IMAGE=node:20-slim$/m, 'node:20-slim');
  t.match(dockerfile, new RegExp(`^ARG PNPM_VERSION=${pnpmVersion.replaceAll('.', '\\.')}$`, 'm'), `pnpm ${pnpmVersion} (package.json packageManager)`);
  t.match(dockerfile, /npm i -g "pnpm@\$\{PNPM_VERSION\}"/, 'pnpm via npm i -g');
  t.match(dockerfile, /pnpm install --frozen-lockfile/, 'frozen lockfile');
  t.match(dockerfile, /^RUN pnpm build$/m, 'pnpm build');
  t.match(dockerfile, /^ENTRYPOINT \["node", "packages\/cli\/dist\/main\.js"\]$/m, 'entrypoint: the CLI');
  t.match(dockerfile, /^USER node$/m, 'runs as a non-root user');
  const ignore = read(join(DEPLOY, 'Dockerfile.dockerignore'));
  for (const p of ['**/node_modules', '**/dist', '**/.env', 'deploy/k8s/credentials.env']) {
    t.ok(ignore.split('\n').includes(p), `Dockerfile.dockerignore excludes ${p}`);
  }
});

// -------------------------------------------------------------------------------------------------
// Kubernetes
// -------------------------------------------------------------------------------------------------

function loadK8sDocs(): Map<string, Yaml[]> {
  const out = new Map<string, Yaml[]>();
  for (const f of readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const docs = parseAllDocuments(read(join(K8S_DIR, f)));
    for (const d of docs) if (d.errors.length > 0) throw new Error(`deploy/k8s/${f}: ${d.errors[0]!.message}`);
    out.set(f, docs.map((d) => d.toJS()).filter((d) => d !== null));
  }
  return out;
}

t.test('k8s: every yaml parses; kustomization resources, kinds and names', async (t) => {
  const files = loadK8sDocs();
  t.ok(files.size >= 8, `yaml files: ${[...files.keys()].join(', ')}`);
  const kz = files.get('kustomization.yaml')![0];
  t.equal(kz.kind, 'Kustomization');
  t.equal(kz.namespace, 'relurec');
  const objects: Yaml[] = [];
  for (const r of kz.resources as string[]) {
    t.ok(files.has(r), `resource ${r} exists`);
    objects.push(...(files.get(r) ?? []));
  }
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  t.same(byKind('Namespace').map((o) => o.metadata.name), ['relurec'], 'Namespace relurec');
  t.same(
    byKind('Deployment').map((o) => o.metadata.name).sort(),
    SERVICES.map((s) => `relurec-${s}`).sort(),
    'a Deployment per service',
  );
  const configMaps = new Map<string, Yaml>(byKind('ConfigMap').map((o) => [o.metadata.name, o]));
  t.ok(configMaps.has('relurec-target'), 'ConfigMap relurec-target');
  t.ok(configMaps.has('relurec-config'), 'ConfigMap relurec-config');
  const targetJson = JSON.parse(configMaps.get('relurec-target').data['net.json']);
  t.same(targetJson, JSON.parse(read(join(DEPLOY, 'examples', 'net.json'))), 'the target ConfigMap holds deploy/examples/net.json');

  // the Secret: generated from credentials.env (written by gen-secrets.sh; the example lists the keys)
  const gen = (kz.secretGenerator as Yaml[]).find((g) => g.name === 'relurec-nats-credentials');
  t.ok(gen, 'secretGenerator relurec-nats-credentials');
  t.same(gen.envs, ['credentials.env']);
  t.equal(kz.generatorOptions?.disableNameSuffixHash, true, 'fixed Secret name (the NATS Helm release reads it)');
  const secretKeys = envFileKeys(join(K8S_DIR, 'credentials.env.example'));
  for (const v of PASSWORD_VARS) t.ok(secretKeys.has(v), `credentials.env.example lists ${v}`);
  t.ok(read(join(DEPLOY, '.gitignore')).split('\n').includes('k8s/credentials.env'), 'credentials.env is git-ignored');

  const imageNames = new Set((kz.images as Yaml[]).map((i) => i.name));
  for (const d of byKind('Deployment')) {
    const name: string = d.metadata.name;
    const component = name.replace(/^relurec-/, '');
    t.same(d.spec.selector.matchLabels, d.spec.template.metadata.labels, `${name}: selector matches the pod labels`);
    t.equal(d.spec.template.spec.securityContext?.runAsNonRoot, true, `${name}: non-root`);
    for (const c of d.spec.template.spec.containers as Yaml[]) {
      const probes = c.livenessProbe !== undefined || c.readinessProbe !== undefined;
      const requests = c.resources?.requests?.cpu !== undefined && c.resources?.requests?.memory !== undefined;
      t.ok(probes || requests, `${name}/${c.name}: probes or resource requests`);
      t.ok(requests, `${name}/${c.name}: cpu and memory requests`);
      t.ok(imageNames.has(c.image), `${name}/${c.name}: image ${c.image} is set by kustomization images`);
      const args: string[] = c.args;
      t.equal(args[0], component, `${name} runs \`relurec ${component}\``);
      t.equal(args[args.indexOf('--user') + 1], component, `${name} connects as NATS user ${component}`);
      t.equal(args[args.indexOf('--password') + 1], '$(RELUREC_NATS_PASSWORD)', `${name}: password from the environment`);
      const env = new Map<string, Yaml>((c.env as Yaml[]).map((e) => [e.name, e]));
      const ref = env.get('RELUREC_NATS_PASSWORD')?.valueFrom?.secretKeyRef;
      t.same(ref, { name: 'relurec-nats-credentials', key: `RELUREC_${component.toUpperCase()}_PASSWORD` }, `${name}: its own password from the Secret`);
      const urlRef = env.get('RELUREC_NATS_URL')?.valueFrom?.configMapKeyRef;
      t.ok(urlRef && configMaps.get(urlRef.name)?.data?.[urlRef.key], `${name}: NATS URL from ConfigMap ${urlRef?.name}`);
    }
    for (const v of (d.spec.template.spec.volumes ?? []) as Yaml[]) {
      if (v.configMap) t.ok(configMaps.has(v.configMap.name), `${name}: volume ConfigMap ${v.configMap.name} exists`);
    }
  }
  const worker = byKind('Deployment').find((d) => d.metadata.name === 'relurec-worker');
  t.ok(worker.spec.replicas >= 2, 'several workers by default');
  const wc = worker.spec.template.spec.containers[0];
  t.equal(String(wc.args[wc.args.indexOf('--threads') + 1]), String(wc.resources.requests.cpu), 'worker --threads matches its CPU request');
  const oracle = byKind('Deployment').find((d) => d.metadata.name === 'relurec-oracle');
  t.ok(oracle.spec.template.spec.containers[0].args.includes('/etc/relurec/target/net.json'), 'oracle serves the mounted target');

  const hpa = files.get('hpa-worker.yaml')![0];
  t.equal(hpa.kind, 'HorizontalPodAutoscaler', 'optional HPA');
  t.equal(hpa.spec.scaleTargetRef.name, 'relurec-worker', 'HPA scales the workers');
});

t.test('k8s: NATS Helm values: 3-node cluster, JetStream file store on PVCs, relurec auth from the Secret', async (t) => {
  const values = parse(read(join(K8S_DIR, 'nats-values.yaml')));
  const cfg = values.config;
  t.equal(cfg.cluster.enabled, true, 'cluster enabled');
  t.equal(cfg.cluster.replicas, 3, '3 replicas');
  t.equal(cfg.cluster.merge.routes.length, 3, 'three authenticated routes');
  t.match(cfg.cluster.merge.authorization.password, /^<< \$NATS_ROUTE_PASSWORD >>$/, 'route password from the environment');
  t.equal(cfg.jetstream.enabled, true, 'JetStream');
  t.equal(cfg.jetstream.fileStore.enabled, true, 'file store');
  t.equal(cfg.jetstream.fileStore.pvc.enabled, true, 'on a PVC');
  t.ok(cfg.jetstream.fileStore.pvc.size, 'PVC size');
  t.equal(cfg.merge.$include, 'auth.conf', 'includes deploy/nats/auth.conf');
  t.equal(values.fullnameOverride, 'nats', 'Service "nats" (relurec-config points at nats://nats:4222)');
  for (const v of PASSWORD_VARS) {
    t.same(values.container.env[v], { valueFrom: { secretKeyRef: { name: 'relurec-nats-credentials', key: v } } }, `${v} from the Secret`);
  }
  for (const i of [1, 2, 3]) {
    t.match(values.container.env[`NATS_ROUTE_URL_${i}`], new RegExp(`^nats://route:\\$\\(NATS_ROUTE_PASSWORD\\)@nats-${i - 1}\\.nats-headless:6222$`), `route URL ${i}`);
  }
  const config = parse(read(join(K8S_DIR, 'config.yaml')));
  t.equal(config.data.RELUREC_NATS_URL, 'nats://nats:4222');
});

t.test('k8s: `kubectl kustomize` builds the manifests (when kubectl is installed)', async (t) => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    t.comment('kubectl is not installed: the kustomize build check did not run (the YAML checks above did)');
    t.pass('kubectl not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'relurec-k8s-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(K8S_DIR, dir, { recursive: true });
  copyFileSync(join(K8S_DIR, 'credentials.env.example'), join(dir, 'credentials.env'));
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
  t.equal(r.status, 0, `kubectl kustomize: ${r.stderr}`);
  const kinds = parseAllDocuments(r.stdout).map((d) => `${d.get('kind')}/${(d.toJS() as Yaml).metadata.name}`);
  for (const k of ['Namespace/relurec', 'Secret/relurec-nats-credentials', 'ConfigMap/relurec-target', ...SERVICES.map((s) => `Deployment/relurec-${s}`)]) {
    t.ok(kinds.includes(k), `builds ${k}`);
  }
});

// -------------------------------------------------------------------------------------------------
// Live authorization test against a real nats-server running deploy/nats/single.conf
// -------------------------------------------------------------------------------------------------

interface Server {
  url: string;
  passwords: Record<User, string>;
  stop(): Promise<void>;
}

async function startSingleServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'relurec-nats-'));
  const [port, httpPort] = await freePorts(2);
  let conf = read(join(NATS_DIR, 'single.conf'));
  conf = replaceLine(conf, /^port: \d+$/m, `port: ${port}`, 'port');
  conf = replaceLine(conf, /^http: .*$/m, `http: 127.0.0.1:${httpPort}`, 'http');
  conf = replaceLine(conf, /^(\s*)store_dir: .*$/m, `$1store_dir: "${join(dir, 'js')}"`, 'store_dir');
  writeFileSync(join(dir, 'single.conf'), conf);
  copyFileSync(join(NATS_DIR, 'auth.conf'), join(dir, 'auth.conf'));

  const env = natsEnv();
  const passwords = Object.fromEntries(USERS.map((u) => [u, env[`RELUREC_${u.toUpperCase()}_PASSWORD`]!])) as Record<User, string>;
  const child: ChildProcess = spawn('nats-server', ['-c', join(dir, 'single.conf')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // never leave a server behind, even when this test process is killed or crashes
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killTimer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`nats-server did not get ready in 10 s:\n${log}`)), 10_000);
      const onData = (b: Buffer) => {
        log += b.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        fail(new Error(`${NATS_SERVER_HINT} (${e.message})`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `nats://127.0.0.1:${port}`, passwords, stop };
}

/** A connection that records the server's -ERR permission violations. */
interface Client {
  nc: NatsConnection;
  violations: PermissionViolationError[];
}

async function client(server: Server, user: User): Promise<Client> {
  const nc = await connect({ servers: server.url, user, pass: server.passwords[user], name: `test-${user}`, reconnect: false, timeout: 5000 });
  const violations: PermissionViolationError[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError) violations.push(s.error);
    }
  })();
  return { nc, violations };
}

/** Publishes on core NATS and reports whether the server refused it (a -ERR comes before the PONG of flush). */
async function publishRefused(c: Client, subject: string): Promise<boolean> {
  const before = c.violations.length;
  c.nc.publish(subject, new TextEncoder().encode('probe'));
  await c.nc.flush();
  await sleep(10);
  return c.violations.slice(before).some((v) => v.operation === 'publish' && v.subject === subject);
}

t.test('live: single.conf auth on a real nats-server', async (t) => {
  const server = await startSingleServer();
  const clients: Client[] = [];
  t.teardown(async () => {
    await Promise.allSettled(clients.map((c) => c.nc.close()));
    await server.stop();
  });
  const open = async (user: User) => {
    const c = await client(server, user);
    clients.push(c);
    return c;
  };

  await t.test('a client without credentials, or with a wrong password, is refused', async (t) => {
    await t.rejects(connect({ servers: server.url, reconnect: false, timeout: 5000 }), /authorization violation/i, 'no credentials');
    await t.rejects(
      connect({ servers: server.url, user: 'worker', pass: 'kWrongPassword', reconnect: false, timeout: 5000 }),
      /authorization violation/i,
      'wrong password',
    );
    await t.rejects(
      connect({ servers: server.url, token: server.passwords.worker, reconnect: false, timeout: 5000 }),
      /authorization violation/i,
      'a password used as a token',
    );
  });

  // The coordinator sets up what the worker uses: streams, the durable task consumer, KV and objects.
  const coord = await open('coordinator');
  const jsm = await jetstreamManager(coord.nc);
  await jsm.streams.add({ name: 'RELUREC_TASKS', subjects: ['relurec.*.tasks'], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
  await jsm.streams.add({ name: 'RELUREC_FRAGMENTS', subjects: ['relurec.*.fragments', 'relurec.*.merged'], storage: StorageType.File });
  // the durable task consumer the workers share (the coordinator's job: workers may not create it)
  await jsm.consumers.add('RELUREC_TASKS', { durable_name: 'relurec-tasks', ack_policy: AckPolicy.Explicit, filter_subject: 'relurec.*.tasks' });
  const kvm = new Kvm(coord.nc);
  const runs = await kvm.create('relurec-runs');
  const status = await kvm.create('relurec-status');
  await runs.put('run1', '{"run":"run1"}');
  await status.put('run1', 'running');
  const modelBytes = new Uint8Array(readFileSync(join(DEPLOY, 'examples', 'net.json')));
  const models = await new Objm(coord.nc).create('relurec-models');
  await models.putBlob({ name: 'net.json' }, modelBytes);
  const coordJs = jetstream(coord.nc);
  await coordJs.publish('relurec.run1.tasks', new TextEncoder().encode('task-1'));

  const worker = await open('worker');
  const dashboard = await open('dashboard');

  await t.test('worker: publishing a task is refused; the stream gets nothing', async (t) => {
    t.ok(await publishRefused(worker, 'relurec.run1.tasks'), 'permissions violation for publish to relurec.run1.tasks');
    t.ok(await publishRefused(worker, 'relurec.other.tasks'), 'and for any run');
    const info = await jsm.streams.info('RELUREC_TASKS');
    t.equal(info.state.messages, 1, 'RELUREC_TASKS still holds only the coordinator\'s task');
    const v = worker.violations.find((e) => e.subject === 'relurec.run1.tasks')!;
    t.match(v.message, /permissions violation for publish/i, 'the server names the refused publish');
  });

  await t.test('worker: a heartbeat goes through and reaches the dashboard', async (t) => {
    const sub = dashboard.nc.subscribe('relurec.workers.heartbeat', { max: 1 });
    await dashboard.nc.flush();
    t.notOk(await publishRefused(worker, 'relurec.workers.heartbeat'), 'no permissions violation');
    const got = await Promise.race([
      (async () => {
        for await (const m of sub) return m.string();
        return null;
      })(),
      sleep(3000).then(() => 'timeout'),
    ]);
    t.equal(got, 'probe', 'the dashboard received the heartbeat');
  });

  await t.test('worker: opens the topology read-only, pulls and acks a task, publishes a fragment, reads runs, status and the model', async (t) => {
    // what the bus does when a worker connects: look up every stream, open the buckets
    const wjsm = await jetstreamManager(worker.nc);
    for (const stream of ['RELUREC_TASKS', 'RELUREC_FRAGMENTS', 'KV_relurec-runs', 'KV_relurec-status', 'OBJ_relurec-models']) {
      t.equal((await wjsm.streams.info(stream)).config.name, stream, `stream info ${stream}`);
    }
    t.equal((await wjsm.consumers.info('RELUREC_TASKS', 'relurec-tasks')).name, 'relurec-tasks', 'consumer info relurec-tasks');
    const js = jetstream(worker.nc);
    const consumer = await js.consumers.get('RELUREC_TASKS', 'relurec-tasks');
    const msg = await consumer.next({ expires: 3000 });
    t.equal(msg?.string(), 'task-1', 'pulled the task');
    t.equal(await msg!.ackAck(), true, 'ack confirmed');
    t.equal((await jsm.streams.info('RELUREC_TASKS')).state.messages, 0, 'the acked task left the work queue');

    const ack = await js.publish('relurec.run1.fragments', new TextEncoder().encode('fragment-1'));
    t.equal(ack.stream, 'RELUREC_FRAGMENTS', 'fragment stored (PubAck on the worker inbox)');

    const wruns = await new Kvm(worker.nc).open('relurec-runs');
    t.equal((await wruns.get('run1'))?.string(), '{"run":"run1"}', 'reads the run record');
    const keys: string[] = [];
    for await (const k of await wruns.keys()) keys.push(k);
    t.same(keys, ['run1'], 'lists run keys (a watch consumer)');

    const wstatus = await new Kvm(worker.nc).open('relurec-status');
    t.equal((await wstatus.get('run1'))?.string(), 'running', 'reads the run status');

    const wmodels = await new Objm(worker.nc).open('relurec-models');
    const blob = await wmodels.getBlob('net.json');
    t.ok(blob !== null && Buffer.from(blob).equals(Buffer.from(modelBytes)), 'reads the model from the object store (same bytes)');
    t.same(worker.violations.map((v) => v.subject), ['relurec.run1.tasks', 'relurec.other.tasks'], 'no refusal on the way');
  });

  await t.test('worker: cannot create or change consumers, write KV or objects, or subscribe to tasks', async (t) => {
    const wjsm = await jetstreamManager(worker.nc);
    await t.rejects(
      wjsm.consumers.add('RELUREC_TASKS', { durable_name: 'relurec-tasks-run1', ack_policy: AckPolicy.Explicit, filter_subject: 'relurec.run1.tasks' }),
      /permissions violation/i,
      'creating a task consumer refused',
    );
    await t.rejects(wjsm.consumers.update('RELUREC_TASKS', 'relurec-tasks', { max_deliver: 1 }), /permissions violation/i, 'changing the task consumer refused');
    await t.rejects(wjsm.streams.delete('RELUREC_TASKS'), /permissions violation/i, 'deleting the task stream refused');
    t.ok(await publishRefused(worker, '$KV.relurec-status.run1'), 'KV relurec-status write refused');
    t.ok(await publishRefused(worker, '$KV.relurec-runs.run1'), 'KV relurec-runs write refused');
    t.ok(await publishRefused(worker, '$O.relurec-models.C.x'), 'object store write refused');
    t.equal((await status.get('run1'))?.string(), 'running', 'relurec-status is unchanged');
    t.equal((await status.get('run1'))?.revision, 1, 'no write reached relurec-status');
    t.equal((await runs.get('run1'))?.string(), '{"run":"run1"}', 'the run record is unchanged');
    const before = worker.violations.length;
    worker.nc.subscribe('relurec.run1.tasks');
    await worker.nc.flush();
    await sleep(10);
    t.ok(
      worker.violations.slice(before).some((v) => v.operation === 'subscription' && v.subject === 'relurec.run1.tasks'),
      'subscribing to relurec.run1.tasks refused',
    );
  });

  await t.test('who may publish what (auth.conf matrix)', async (t) => {
    // true: allowed. Run ids here are probe ids, so nothing touches run1.
    const subjects = ['relurec.probe.tasks', 'relurec.probe.fragments', 'relurec.workers.heartbeat', 'relurec.probe.events', 'relurec.oracle.query', '$KV.relurec-status.probe', '$KV.relurec-runs.probe', '$O.relurec-models.C.probe'];
    const allowed: Record<User, boolean[]> = {
      coordinator: [true, true, true, true, true, true, true, true],
      merger: [false, false, false, true, false, true, true, false],
      oracle: [false, false, false, true, false, true, false, false],
      worker: [false, true, true, true, true, false, false, false],
      dashboard: [false, false, false, false, false, false, false, false],
    };
    for (const user of USERS) {
      const c = user === 'coordinator' ? coord : user === 'worker' ? worker : user === 'dashboard' ? dashboard : await open(user);
      for (const [k, subject] of subjects.entries()) {
        const refused = await publishRefused(c, subject);
        t.equal(!refused, allowed[user][k], `${user} ${allowed[user][k] ? 'may' : 'may not'} publish ${subject}`);
      }
    }
  });
});
