export { connectHttpOracle } from './connectHttpOracle.js';
export type { HttpOracle, HttpOracleOptions } from './connectHttpOracle.js';
export { createOracleServer } from './createOracleServer.js';
export type { OracleServer, OracleServerOptions } from './createOracleServer.js';
export { parseHeaderOption } from './parseHeaderOption.js';
export type { HeaderOption } from './parseHeaderOption.js';
