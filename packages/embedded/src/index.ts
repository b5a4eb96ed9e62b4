export { runEmbedded } from './runEmbedded.js';
export type { EmbeddedOptions } from './runEmbedded.js';
