import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import type { NatsBus, NatsBusOptions } from '@relurec/bus';
import { CliUsageError } from '../cli/CliUsageError.js';
import { stringFlag } from './flags.js';

/** The NATS connection flags every cluster command takes. */
export function withNatsFlags<T>(y: Argv<T>, required = true): Argv<T> {
  return y
    .option('nats', { type: 'string', demandOption: required, describe: 'NATS server URL(s), comma-separated for a cluster (nats://host:4222)' })
    .option('creds', { type: 'string', describe: 'NATS .creds file (user JWT and nkey seed)' })
    .option('user', { type: 'string', describe: 'NATS user (with --password)' })
    .option('password', { type: 'string', describe: 'NATS password (or the RELUREC_NATS_PASSWORD environment variable)' })
    .option('token', { type: 'string', describe: 'NATS authentication token (or RELUREC_NATS_TOKEN)' })
    .option('nkey-seed', { type: 'string', describe: 'File holding an nkey seed (SU...)' })
    .option('tls-ca', { type: 'string', describe: 'CA certificate (PEM) of the NATS servers' })
    .option('tls-cert', { type: 'string', describe: 'Client certificate (PEM) when the servers verify clients' })
    .option('tls-key', { type: 'string', describe: 'Key of the client certificate (PEM)' })
    .option('replicas', { type: 'number', describe: 'Replicas of the streams and buckets this client creates (3 on a 3-node cluster). Default 1' });
}

/** Connection options from the flags; secrets may come from the environment so that they stay out of `ps`. */
export async function natsOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<NatsBusOptions> {
  const servers = stringFlag(argv.nats, '--nats').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (servers.length === 0) throw new CliUsageError('--nats needs at least one server URL', '--nats');
  const opt = (name: string) => (argv[name] === undefined ? undefined : stringFlag(argv[name], `--${name}`));
  const pass = opt('password') ?? env.RELUREC_NATS_PASSWORD;
  const token = opt('token') ?? env.RELUREC_NATS_TOKEN;
  const user = opt('user');
  if ((user === undefined) !== (pass === undefined)) throw new CliUsageError('--user and --password go together', user === undefined ? '--password' : '--user');
  const seedFile = opt('nkey-seed');
  let nkeySeed: string | undefined;
  if (seedFile !== undefined) {
    nkeySeed = (await readFile(seedFile, 'utf8').catch((cause) => { throw new CliUsageError(`--nkey-seed: cannot read '${seedFile}': ${(cause as Error).message}`, '--nkey-seed', { cause }); })).trim();
  }
  const creds = opt('creds');
  const kinds = [user !== undefined, token !== undefined, nkeySeed !== undefined, creds !== undefined].filter(Boolean).length;
  if (kinds > 1) throw new CliUsageError('give one kind of NATS credentials: --user/--password, --token, --nkey-seed or --creds', '--nats');
  const tls = { caFile: opt('tls-ca'), certFile: opt('tls-cert'), keyFile: opt('tls-key') };
  const replicas = argv.replicas === undefined ? undefined : Number(argv.replicas);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5)) throw new CliUsageError(`--replicas must be an integer from 1 to 5, got ${String(argv.replicas)}`, '--replicas');
  return {
    servers,
    ...(user !== undefined ? { user, pass } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(nkeySeed !== undefined ? { nkeySeed } : {}),
    ...(creds !== undefined ? { credsFile: creds } : {}),
    ...(tls.caFile || tls.certFile || tls.keyFile ? { tls } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
  };
}

/**
 * Connects to the cluster's bus; an unreachable or refusing server is bad input (exit 2), named by
 * its URL, like an unreachable HTTP oracle.
 */
export async function connectCluster(argv: Record<string, unknown>, name: string): Promise<NatsBus> {
  const { connectNatsBus, BusConnectionError } = await import('@relurec/bus');
  const options = await natsOptions(argv);
  try {
    return await connectNatsBus({ ...options, name });
  } catch (cause) {
    if (cause instanceof BusConnectionError) throw new CliUsageError(`cannot use the NATS server at ${String(options.servers)}: ${cause.message}`, '--nats', { cause });
    throw cause;
  }
}
