export { affine } from './affine.js';
export { forward, preActivations } from './forward.js';
