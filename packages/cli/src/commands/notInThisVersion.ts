import { CliUsageError } from '../cli/CliUsageError.js';

/** The error of a cluster feature that SYSTEM.md names but this version does not have. */
export function notInThisVersion(what: string): CliUsageError {
  return new CliUsageError(
    `${what} needs the cluster, not in this version; the embedded run needs no server: relurec recover (--target | --oracle | --onnx) ...`,
  );
}
