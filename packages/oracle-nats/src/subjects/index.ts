export { ORACLE_QUEUE, oracleSubjects } from './oracleSubjects.js';
export type { OracleSubjects } from './oracleSubjects.js';
