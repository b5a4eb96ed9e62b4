export { CliUsageError, ExitCode, processIo, runCli } from './cli/index.js';
export type { CliIo } from './cli/index.js';
export type { RunCliOptions } from './cli/runCli.js';
export {
  compareConfig,
  demoConfig,
  exportConfig,
  generateConfig,
  oracleServeConfig,
  recover,
  recoverConfig,
  RecoveryStatus,
  runCompare,
  runDemo,
  runExport,
  runGenerate,
  runOracleServe,
  runRecover,
  runTrain,
  startOracle,
  trainConfig,
} from './commands/index.js';
export type {
  CompareConfig,
  DemoConfig,
  ExportConfig,
  GenerateConfig,
  OracleServeConfig,
  RecoverConfig,
  RecoverReport,
  RunningOracle,
  TrainConfig,
} from './commands/index.js';
