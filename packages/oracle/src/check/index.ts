export { assertQueryInputs } from './assertQueryInputs.js';
export { assertFiniteOutputs } from './assertFiniteOutputs.js';
export { assertAnswerShape } from './assertAnswerShape.js';
