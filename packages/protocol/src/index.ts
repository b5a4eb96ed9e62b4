export * from './codec/index.js';
export * from './decoders/index.js';
export * from './errors/index.js';
export * from './ids/index.js';
export * from './messages/index.js';
export * from './subjects/index.js';
export * from './validate/index.js';
