import { isRunId } from '../ids/runId.js';
import { Subject } from './Subject.js';

/** What a subject carries. */
export const SubjectKind = {
  tasks: 'tasks',
  fragments: 'fragments',
  merged: 'merged',
  events: 'events',
  heartbeat: 'heartbeat',
  oracleQuery: 'oracleQuery',
} as const;
export type SubjectKind = (typeof SubjectKind)[keyof typeof SubjectKind];

/** A relurec subject taken apart; runId is '' for cluster-wide subjects. */
export interface ParsedSubject {
  readonly kind: SubjectKind;
  readonly runId: string;
}

/**
 * Takes a concrete subject apart (`relurec.r1.tasks` -> `{ kind: 'tasks', runId: 'r1' }`,
 * `relurec.r1.merged` -> `{ kind: 'merged', runId: 'r1' }`).
 * @returns undefined for a subject that is not one of {@link Subject}'s (a foreign or wildcard one).
 */
export function parseSubject(subject: string): ParsedSubject | undefined {
  if (subject === Subject.heartbeat) return { kind: SubjectKind.heartbeat, runId: '' };
  if (subject === Subject.oracleQuery) return { kind: SubjectKind.oracleQuery, runId: '' };
  if (subject === Subject.events('')) return { kind: SubjectKind.events, runId: '' };
  const parts = subject.split('.');
  if (parts.length !== 3 || parts[0] !== 'relurec' || !isRunId(parts[1])) return undefined;
  const [, runId, last] = parts as [string, string, string];
  if (last === 'tasks' || last === 'fragments' || last === 'merged' || last === 'events') return { kind: last, runId };
  return undefined;
}
