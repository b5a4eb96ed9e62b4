export { decode } from './decode.js';
export { encode } from './encode.js';
