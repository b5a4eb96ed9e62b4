import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ReluNetwork } from '@relurec/network';
import { OnnxModelError } from '../errors/OnnxModelError.js';
import { exportOnnx, type ExportOnnxOptions } from '../export/exportOnnx.js';
import { importOnnx } from '../import/importOnnx.js';

/** Writes `exportOnnx(net, options)` to a file atomically (temp file + rename). */
export async function writeOnnxFile(file: string, net: ReluNetwork, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = exportOnnx(net, options);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/**
 * Reads an ONNX file of a ReLU MLP (see `importOnnx`).
 * @throws OnnxModelError naming the file (and the node at fault) when it cannot be read or is not a ReLU MLP
 */
export async function readOnnxFile(file: string): Promise<ReluNetwork> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new OnnxModelError(`cannot read file (${(cause as Error).message})`, file, undefined, undefined, { cause });
  }
  return importOnnx(bytes, { file });
}
