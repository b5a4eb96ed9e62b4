/** @jsxRuntime automatic @jsxImportSource react */
// The pragma: tsx (the test runner) reads the root tsconfig.json, which has no "jsx" setting.
import { Box, Text } from 'ink';
import type { EventLevel } from '@relurec/protocol';
import { formatClock } from '../format/formatClock.js';
import type { LogEntry } from '../model/DashboardSnapshot.js';

export interface EventLogProps {
  /** Oldest first. */
  readonly entries: readonly LogEntry[];
  /** The newest this many lines are shown. Default 8. */
  readonly maxLines?: number;
}

const LEVEL_COLOR: Record<EventLevel, string> = { info: 'gray', warn: 'yellow', error: 'red' };

/** The latest log lines: time, level, kind, run and message. */
export function EventLog({ entries, maxLines = 8 }: EventLogProps) {
  const shown = maxLines > 0 ? entries.slice(-maxLines) : [];
  return (
    <Box flexDirection="column">
      <Text bold>events</Text>
      {shown.length === 0 && <Text dimColor>none yet</Text>}
      {shown.map((e, i) => (
        <Text key={i} wrap="truncate-end">
          {formatClock(e.at)} <Text color={LEVEL_COLOR[e.level]}>{e.level.padEnd(5)}</Text> {e.kind}
          {e.runId === '' ? '' : ` [${e.runId}]`} {e.message}
        </Text>
      ))}
    </Box>
  );
}
