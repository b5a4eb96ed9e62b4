export type { CellResult } from './CellResult.js';
export { decodeResultLine, encodeResultLine } from './resultLine.js';
