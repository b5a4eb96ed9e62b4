export { createNetworkOracle } from './createNetworkOracle.js';
