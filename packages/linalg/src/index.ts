export { dot, norm, addScaled, subtract, scale, normalize, maxAbs } from './vector.js';
export { solveLeastSquares, solveMinNorm, minNormSolver, nullVector, pseudoInverse } from './leastSquares.js';
