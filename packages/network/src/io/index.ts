export { loadNetwork, saveNetwork } from './networkFile.js';
