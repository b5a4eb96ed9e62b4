import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway CA and a server certificate for 127.0.0.1 and localhost. */
export interface TlsFiles {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Removes the directory. */
  remove(): void;
}

/**
 * Makes a CA and a server certificate signed by it (EC P-256, valid one day) with openssl from PATH,
 * for TLS tests against a local nats-server.
 * @throws Error saying how to install openssl when it is not on PATH.
 */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'relurec-tls-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('openssl is not on PATH: install it with `apt-get install -y openssl`', { cause: err });
      }
      throw err;
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=relurec-test-ca');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  return {
    dir,
    caFile: path('ca.pem'),
    certFile: path('server.pem'),
    keyFile: path('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
