export { OnnxModelError, OnnxRuntimeError } from './errors/index.js';
export { exportOnnx, OnnxDtype, DEFAULT_OPSET, METADATA_KEYS } from './export/index.js';
export { importOnnx, SUPPORTED_OPS } from './import/index.js';
export { OnnxOracle, openOnnxOracle } from './oracle/index.js';
export { readOnnxFile, writeOnnxFile } from './io/index.js';
export type { ExportOnnxOptions } from './export/index.js';
export type { ImportOnnxOptions } from './import/index.js';
export type { OpenOnnxOracleOptions } from './oracle/index.js';
