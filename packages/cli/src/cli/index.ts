export { ExitCode } from './ExitCode.js';
export { CliUsageError } from './CliUsageError.js';
export { processIo } from './CliIo.js';
export type { CliIo } from './CliIo.js';
export { runCli } from './runCli.js';
