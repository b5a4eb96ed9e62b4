export { InProcessBus } from './InProcessBus.js';
export type { InProcessBusOptions } from './InProcessBus.js';
