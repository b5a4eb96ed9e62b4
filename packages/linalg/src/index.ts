export { dot, norm, addScaled, subtract, scale, normalize, maxAbs } from './vector.js';
export { solveLeastSquares, nullVector, pseudoInverse } from './leastSquares.js';
