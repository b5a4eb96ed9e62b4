export { AssignmentError } from './AssignmentError.js';
