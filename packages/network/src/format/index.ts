export * from './ReluNetwork.js';
export { NetworkFormatError } from './NetworkFormatError.js';
export { parseNetwork, RELU_NET_FORMAT, RELU_NET_VERSION } from './parseNetwork.js';
export { toDocument } from './toDocument.js';
