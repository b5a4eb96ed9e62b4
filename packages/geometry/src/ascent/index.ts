export { ascendInBall } from './ascendInBall.js';
export type { AscentProblem } from './ascendInBall.js';
