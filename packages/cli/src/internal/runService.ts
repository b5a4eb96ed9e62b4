import type { CliIo } from '../cli/CliIo.js';
import { ExitCode } from '../cli/ExitCode.js';

/** Runs a long-lived service until SIGINT/SIGTERM, then stops it cleanly (in-flight work is not lost: it is on the bus). */
export async function runService(io: CliIo, name: string, service: { stop(): Promise<void> }, close: () => Promise<void>): Promise<ExitCode> {
  const signal = await io.stopRequested();
  io.stderr(`relurec ${name}: ${signal}, stopping\n`);
  await service.stop();
  await close();
  return ExitCode.done;
}
