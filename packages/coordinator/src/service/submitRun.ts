import type { Bus } from '@relurec/bus';
import { PROTOCOL_VERSION, RunState, type RunRecord, type RunStatus } from '@relurec/protocol';
import { resultBlobName, type StoredResult } from './runResult.js';

/** Puts a run on the bus for the coordinator service: its models, its record, then its status. */
export async function submitRun(bus: Bus, record: RunRecord, blobs: Readonly<Record<string, Uint8Array>> = {}, clock: () => number = Date.now): Promise<void> {
  for (const [name, bytes] of Object.entries(blobs)) await bus.putBlob(name, bytes);
  await bus.putRun(record);
  const now = clock();
  await bus.putStatus({
    v: PROTOCOL_VERSION, runId: record.runId, target: record.target, state: RunState.running, phase: 'submitted', layer: 0, neurons: [],
    queries: 0, budget: record.budget, tasksIssued: 0, tasksDone: 0, startedAt: now, updatedAt: now,
  });
}

/**
 * Follows a run until it ends; resolves with its final status and stored result (undefined when the
 * run failed without one). onStatus sees every update.
 */
export function followRun(bus: Bus, runId: string, onStatus?: (s: RunStatus) => void, pollMs = 2000): Promise<{ status: RunStatus; stored: StoredResult | undefined }> {
  return new Promise((resolve, reject) => {
    let done = false, checking = false;
    let last = 0;
    const seen = async (s: RunStatus) => {
      if (s.runId !== runId || done) return;
      if (s.updatedAt >= last) {
        last = s.updatedAt;
        onStatus?.(s);
      }
      if (s.state === RunState.running || checking) return;
      checking = true;
      try {
        const bytes = await bus.getBlob(resultBlobName(runId));
        // The final status is written again after the result: wait for that one.
        if (!bytes && s.state !== RunState.failed) return;
        done = true;
        clearInterval(timer);
        await sub.stop();
        resolve({ status: s, stored: bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as StoredResult) : undefined });
      } finally {
        checking = false;
      }
    };
    const sub = bus.watchStatus((s) => void seen(s).catch(reject));
    // A watch can miss updates while a cluster node fails over; reading the status now and then
    // makes sure the end of the run is seen.
    const timer = setInterval(() => void bus.getStatus(runId).then((s) => (s ? seen(s) : undefined)).catch(() => {}), pollMs);
    timer.unref();
  });
}
