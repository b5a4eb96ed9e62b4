export * from './format/index.js';
export * from './forward/index.js';
export * from './generate/index.js';
export * from './canonical/index.js';
export * from './io/index.js';
