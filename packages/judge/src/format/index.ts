export { formatComparison, DISPLAY_BITS_CAP } from './formatComparison.js';
