export { connectNatsBus } from './connectNatsBus.js';
export { NatsBus } from './NatsBus.js';
export type { NatsBusOptions, NatsTlsOptions } from './NatsBusOptions.js';
export { connectionOptions as natsConnectionOptions, serverList as natsServerList } from './internal/connectionOptions.js';
