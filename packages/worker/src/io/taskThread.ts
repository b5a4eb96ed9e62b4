import { createBudgetedOracle, createNetworkOracle, connectHttpOracle, type Oracle } from '@relurec/oracle';
import { loadNetwork } from '@relurec/network';
import { runTask, type TaskResult } from '@relurec/recovery';
import type { ThreadOracle, ThreadTask } from './ThreadTask.js';

// One black box per thread and spec: a model is loaded (or a session opened) once, not per task.
const oracles = new Map<string, Promise<Oracle>>();

function openOracle(spec: ThreadOracle): Promise<Oracle> {
  const key = JSON.stringify(spec);
  let o = oracles.get(key);
  if (!o) {
    o = (async (): Promise<Oracle> => {
      switch (spec.kind) {
        case 'file':
          return createNetworkOracle(await loadNetwork(spec.path));
        case 'http':
          return connectHttpOracle(spec.url, { headers: Object.fromEntries(spec.headers.map((h) => [h.name, h.value])) });
        case 'onnx': {
          const { openOnnxOracle } = await import('@relurec/onnx');
          return openOnnxOracle(spec.file);
        }
        case 'nats': {
          // Loaded on demand: only threads of cluster workers need the NATS oracle client.
          const { connectNatsOracle } = await import('@relurec/oracle-nats');
          return connectNatsOracle({ ...(spec.connection as object), name: spec.name });
        }
      }
    })();
    oracles.set(key, o);
    // A failed open is not cached: the next task tries again.
    o.catch(() => oracles.delete(key));
  }
  return o;
}

/** The piscina task: runs one recovery task on this thread's oracle, within the task's budget. */
export default async function runThreadTask(task: ThreadTask): Promise<TaskResult> {
  let inner: Oracle;
  try {
    inner = await openOracle(task.oracle);
  } catch (e) {
    const err = e as Error;
    return { failure: { name: err.name, message: err.message, budget: false }, queries: 0, log: [] };
  }
  const oracle = createBudgetedOracle(inner, { budget: task.budget ?? Infinity });
  return runTask(task.kind, task.input, task.seed, (x, rows) => oracle.query(x, rows));
}
