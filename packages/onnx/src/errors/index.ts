export { OnnxModelError } from './OnnxModelError.js';
export { OnnxRuntimeError } from './OnnxRuntimeError.js';
