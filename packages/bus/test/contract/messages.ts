import type { FragmentMessage, RunRecord, RunStatus, TaskMessage } from '@relurec/protocol';
import { formatTaskId } from '@relurec/protocol';

/** Task `index` of phase 1 of `runId`, its input a Float64Array [index, index + 0.5]. */
export function makeTask(runId: string, index: number, kind = 'square'): TaskMessage {
  return {
    v: 1,
    runId,
    taskId: formatTaskId(1, index),
    phase: 1,
    kind,
    seed: 1000 + index,
    budget: null,
    input: { x: new Float64Array([index, index + 0.5]) },
  };
}

/** The fragment a correct worker returns for a {@link makeTask} task: the squares of its input. */
export function answer(task: TaskMessage, workerId = 'contract-worker'): FragmentMessage {
  const x = (task.input as { x: Float64Array }).x;
  return {
    v: 1,
    runId: task.runId,
    taskId: task.taskId,
    phase: task.phase,
    kind: task.kind,
    workerId,
    queries: x.length,
    seconds: 0.001,
    output: { y: x.map((v) => v * v) },
  };
}

export function makeRecord(runId: string): RunRecord {
  return {
    v: 1,
    runId,
    target: 'net.json',
    oracle: { kind: 'network', name: 'net.json', blob: `${runId}/net.json` },
    inputDim: 10,
    outputDim: 1,
    seed: 7,
    budget: null,
    settings: { domain: 1, scales: new Float64Array([0.5, 2]) },
    createdAt: 1_700_000_000_000,
  };
}

export function makeStatus(runId: string, tasksDone: number): RunStatus {
  return {
    v: 1,
    runId,
    target: 'net.json',
    state: 'running',
    phase: 'layer 1: segments',
    layer: 1,
    neurons: [tasksDone],
    queries: 10 * tasksDone,
    budget: null,
    tasksIssued: 10,
    tasksDone,
    startedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000 + tasksDone,
  };
}
