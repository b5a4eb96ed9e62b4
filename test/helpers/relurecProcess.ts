import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

/** The built CLI: cross-package tests run exactly what `pnpm relurec` runs. */
export const MAIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // tap's process tracking hooks slow a child down and are not what a user runs.
  delete env.NODE_OPTIONS;
  return env;
}

export interface RelurecProcess {
  readonly child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (null when killed). */
  readonly exited: Promise<number | null>;
  /** SIGKILL, as a crash would; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
}

/** Starts `relurec ...args` as a child process; stopped (SIGTERM) at teardown if still running. */
export function startRelurec(t: Test, args: readonly string[], options: { cwd?: string } = {}): RelurecProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (pnpm build)`);
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const proc: RelurecProcess = {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async kill9() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
  t.teardown(async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  return proc;
}

/** Waits until check() is true, polling every 50 ms; throws after timeoutMs with the message. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
