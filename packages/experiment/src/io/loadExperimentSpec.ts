import { readFile } from 'node:fs/promises';
import { ExperimentSpecError } from '../errors/ExperimentSpecError.js';
import type { ExperimentSpec } from '../spec/ExperimentSpec.js';
import { parseExperimentSpec } from '../spec/parseExperimentSpec.js';

/**
 * Reads and validates an experiment spec file (JSON).
 * @throws ExperimentSpecError naming the file and the field ('(file)' when unreadable, '(root)' when not JSON)
 */
export async function loadExperimentSpec(file: string): Promise<ExperimentSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ExperimentSpecError(`cannot read file (${(cause as Error).message})`, file, '(file)', { cause });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ExperimentSpecError(`not valid JSON (${(cause as Error).message})`, file, '(root)', { cause });
  }
  return parseExperimentSpec(doc, file);
}
