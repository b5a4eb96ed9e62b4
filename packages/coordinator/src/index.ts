export { createBusDispatch } from './createBusDispatch.js';
export type { BusDispatch, BusDispatchOptions } from './createBusDispatch.js';
export { runRecovery } from './runRecovery.js';
export type { CoordinatorOptions, RunOutcome } from './runRecovery.js';
export * from './service/index.js';
