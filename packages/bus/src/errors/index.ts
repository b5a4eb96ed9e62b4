export { BusClosedError } from './BusClosedError.js';
export { BusConnectionError } from './BusConnectionError.js';
export { BusTopologyError } from './BusTopologyError.js';
