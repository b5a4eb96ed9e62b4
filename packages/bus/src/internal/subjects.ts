import { Subject } from '@relurec/protocol';

/**
 * The subject of a message of `kind` for `runId`, for error messages: a runId that makes no subject
 * (the message is about to be rejected for it) gives `relurec.?.<kind>` instead of throwing.
 */
export function subjectFor(kind: 'tasks' | 'fragments' | 'merged' | 'events', runId: unknown): string {
  try {
    return Subject[kind](runId as string);
  } catch {
    return `relurec.?.${kind}`;
  }
}

/** The subject of a KV entry in NATS (`$KV.<bucket>.<key>`), named in errors by both buses. */
export function kvSubject(bucket: string, key: unknown): string {
  return `$KV.${bucket}.${String(key)}`;
}
