import { readFile, writeFile, rename } from 'node:fs/promises';
import { NetworkFormatError } from '../format/NetworkFormatError.js';
import { parseNetwork } from '../format/parseNetwork.js';
import { toDocument } from '../format/toDocument.js';
import type { ReluNetwork } from '../format/ReluNetwork.js';

/** Reads and validates a relu-net v1 file. Throws NetworkFormatError naming the file and field. */
export async function loadNetwork(file: string): Promise<ReluNetwork> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new NetworkFormatError(`cannot read file (${(cause as Error).message})`, file, '(file)', { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new NetworkFormatError(`not valid JSON (${(cause as Error).message})`, file, '(root)', { cause });
  }
  return parseNetwork(doc, file);
}

/** Writes a relu-net v1 file atomically (temp file + rename), so a crash never leaves half a network. */
export async function saveNetwork(file: string, net: ReluNetwork): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(toDocument(net)) + '\n');
  await rename(tmp, file);
}
