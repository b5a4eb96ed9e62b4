export { importOnnx, SUPPORTED_OPS } from './importOnnx.js';
export type { ImportOnnxOptions } from './importOnnx.js';
