export * from './probe/index.js';
export * from './kinks/index.js';
export * from './gradient/index.js';
export * from './ascent/index.js';
