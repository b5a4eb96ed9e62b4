export { formatBytes } from './formatBytes.js';
export { formatClock } from './formatClock.js';
export { formatCount } from './formatCount.js';
export { formatDuration } from './formatDuration.js';
export { formatStatusLine, formatWorkers } from './formatStatusLine.js';
