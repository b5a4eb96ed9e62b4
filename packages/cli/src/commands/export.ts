import type { Argv, CommandModule } from 'yargs';
import { formatArchitecture, architecture, loadNetwork } from '@relurec/network';
import type { OnnxDtype } from '@relurec/onnx';
import type { CliIo } from '../cli/CliIo.js';
import { CliUsageError } from '../cli/CliUsageError.js';
import { ExitCode } from '../cli/ExitCode.js';
import { deepFreeze, stringFlag } from '../internal/flags.js';
import type { CommandContext } from './CommandContext.js';

// The values of @relurec/onnx's OnnxDtype, kept here so that parsing flags does not load onnxruntime.
const DTYPES = ['float64', 'float32'] as const satisfies readonly OnnxDtype[];

export interface ExportConfig {
  /** relu-net file to read. */
  readonly network: string;
  /** ONNX file to write. */
  readonly onnx: string;
  readonly dtype: OnnxDtype;
}

export function exportConfig(argv: Record<string, unknown>): ExportConfig {
  const dtype = argv.dtype as OnnxDtype;
  if (!DTYPES.includes(dtype)) throw new CliUsageError(`--dtype must be one of ${DTYPES.join(', ')}`, '--dtype');
  return deepFreeze({ network: stringFlag(argv.network, 'network'), onnx: stringFlag(argv.onnx, '--onnx'), dtype });
}

/** Writes a relu-net network as an ONNX model (Gemm + Relu chain; name and meta in metadata_props). */
export async function runExport(config: ExportConfig, io: CliIo): Promise<ExitCode> {
  const net = await loadNetwork(config.network);
  const { writeOnnxFile } = await import('@relurec/onnx');
  await writeOnnxFile(config.onnx, net, { dtype: config.dtype });
  io.stdout(`wrote ${config.onnx}: ${formatArchitecture(architecture(net))}, ${config.dtype}\n`);
  return ExitCode.done;
}

export function exportCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'export <network>',
    describe: 'Export a relu-net network as an ONNX model',
    builder: (y: Argv) =>
      y
        .positional('network', { type: 'string', describe: 'relu-net file to export' })
        .option('onnx', { type: 'string', demandOption: true, describe: 'ONNX file to write' })
        .option('dtype', {
          type: 'string',
          choices: DTYPES,
          default: DTYPES[0],
          describe: 'Element type: float64 keeps every weight exact; float32 rounds weights',
        })
        .example('$0 export rec.json --onnx rec.onnx', ''),
    handler: ctx.run((argv) => runExport(exportConfig(argv), ctx.io)),
  };
}
