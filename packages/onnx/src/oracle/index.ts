export { OnnxOracle, openOnnxOracle } from './OnnxOracle.js';
export type { OpenOnnxOracleOptions } from './OnnxOracle.js';
