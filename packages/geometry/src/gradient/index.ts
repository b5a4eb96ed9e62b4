export { regionJacobian, GradientNotFoundError } from './regionJacobian.js';
export type { RegionJacobian, RegionJacobianOptions } from './regionJacobian.js';
export { jumpNormal } from './jumpNormal.js';
export type { JumpNormal } from './jumpNormal.js';
