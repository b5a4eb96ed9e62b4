export { exportOnnx, OnnxDtype, DEFAULT_OPSET, METADATA_KEYS } from './exportOnnx.js';
export type { ExportOnnxOptions } from './exportOnnx.js';
