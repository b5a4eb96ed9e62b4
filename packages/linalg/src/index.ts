export { dot, norm, hypot, addScaled, subtract, scale, normalize, maxAbs } from './vector.js';
export { leastSquaresSolver, solveLeastSquares, solveMinNorm, minNormSolver, nullVector, pseudoInverse } from './leastSquares.js';
export { choleskyInPlace, solveCholesky } from './cholesky.js';
