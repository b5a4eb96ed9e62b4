export { Probe } from './Probe.js';
export type { ProbeOptions } from './Probe.js';
export type { QueryFn } from './QueryFn.js';
export { rowKey } from './rowKey.js';
