import t, { type Test } from 'tap';
import { forward, generateNetwork } from '@relurec/network';
import { decode, encode } from '@relurec/protocol';
import { createInlineDispatch, recoverWithDispatch, TaskKind, TaskOutputError, validateTaskOutput, type Dispatch, type TaskOutputDims } from '../src/index.js';

/** One real output per kind, the richest seen (from real recoveries); filled by the first test. */
const samples = new Map<string, { output: unknown; dims: TaskOutputDims; score: number }>();

/** How much a sample exercises the checks (more kinks, neurons, an ok result ...). */
function richness(kind: string, output: any): number {
  switch (kind) {
    case TaskKind.segmentKinks: return output.kinks.length;
    case TaskKind.pieceJacobian: return output.ok ? 1 : 0;
    case TaskKind.checkKink: return output.points.length;
    case TaskKind.testPlane: return output.plane === null ? 0 : 1;
    case TaskKind.traceSeed: return output.kind === 'neuron' ? 10 + output.neuron.fixedColumns.length : 0;
    default: return 1;
  }
}

/** Real neurons from trace-seed outputs (wire form): the trace-layer sample is made of them. */
const neurons: unknown[] = [];

/** Runs a recovery whose every task output goes through validateTaskOutput (and the bus codec). */
async function recoverChecked(t: Test, architecture: number[], init: 'carlini' | 'rk'): Promise<Set<string>> {
  const truth = generateNetwork({ architecture, seed: 1, init });
  const dims = { inputDim: architecture[0]!, outputDim: architecture[architecture.length - 1]! };
  const inner = createInlineDispatch(async (x, rows) => forward(truth, x, rows), { seed: 1 });
  const kinds = new Set<string>();
  let checked = 0;
  const dispatch: Dispatch = {
    get queries() { return inner.queries; },
    async run(name, specs) {
      const outputs = await inner.run(name, specs);
      specs.forEach((spec, i) => {
        kinds.add(spec.kind);
        validateTaskOutput(spec.kind, outputs[i], dims);
        // As the coordinator gets it: through the msgpack codec of the bus.
        const wire = decode(encode(outputs[i]));
        validateTaskOutput(spec.kind, wire, dims);
        validateTaskOutput(spec.kind, wire);
        checked++;
        if (spec.kind === TaskKind.traceSeed && (wire as { kind: string }).kind === 'neuron') neurons.push((wire as { neuron: unknown }).neuron);
        const score = richness(spec.kind, wire);
        if (score >= (samples.get(spec.kind)?.score ?? -1)) samples.set(spec.kind, { output: wire, dims, score });
      });
      return outputs;
    },
  };
  const result = await recoverWithDispatch(dispatch, dims, { seed: 1 });
  t.equal(result.complete, true, `${architecture.join('-')} recovered`);
  t.ok(checked > 0, `${checked} outputs checked`);
  return kinds;
}

t.test('validateTaskOutput - every output of real recoveries passes, before and after the bus codec', async (t) => {
  const kinds = new Set([...(await recoverChecked(t, [6, 8, 6, 1], 'carlini')), ...(await recoverChecked(t, [80, 8, 2], 'rk'))]);
  for (const kind of [TaskKind.survey, TaskKind.segmentKinks, TaskKind.checkKink, TaskKind.pieceJacobian, TaskKind.testPlane, TaskKind.refineWide, TaskKind.traceSeed, TaskKind.boundaryPoints, TaskKind.outputs]) {
    t.ok(kinds.has(kind), `a real '${kind}' output was checked`);
  }
  // trace-layer (the one-task layer search) returns the neurons its traces accepted; rare-neurons wraps it.
  t.ok(neurons.length >= 2, `${neurons.length} real neurons from trace-seed outputs`);
  const layerDims = samples.get(TaskKind.traceSeed)!.dims;
  samples.set(TaskKind.traceLayer, { output: { neurons: neurons.slice(0, 6), unexplained: [], traces: 6, rejected: ['layer 2 trace 1: a line'], missedPrevious: [] }, dims: layerDims, score: 1 });
  validateTaskOutput(TaskKind.traceLayer, samples.get(TaskKind.traceLayer)!.output, layerDims);
  const trace = samples.get(TaskKind.traceLayer)!;
  samples.set(TaskKind.rareNeurons, { output: { seeds: 3, found: trace.output }, dims: trace.dims, score: 1 });
  validateTaskOutput(TaskKind.rareNeurons, samples.get(TaskKind.rareNeurons)!.output, trace.dims);
  validateTaskOutput(TaskKind.testPlane, { plane: null });
  validateTaskOutput(TaskKind.pieceJacobian, { ok: false, reason: 'piece too small' });
  validateTaskOutput(TaskKind.refineWide, { ok: false, reason: 'deeper layers' });
  validateTaskOutput(TaskKind.traceLayer, { neurons: [], unexplained: [], traces: 0, rejected: [], missedPrevious: [] });
});

/** A bogus variant of a real output: `edit` changes a deep copy. */
type Case = [kind: string, what: string, edit: (o: any) => unknown, field: string, message?: RegExp];

const CASES: Case[] = [
  [TaskKind.survey, 'a missing field', (o) => { delete o.noise; }, 'noise', /noise is missing/],
  [TaskKind.survey, 'a number[] for a Float64Array', (o) => { o.xs[0] = Array.from(o.xs[0]); }, 'xs[0]', /must be a Float64Array \(got an array of \d+\)/],
  [TaskKind.survey, 'NaN in a Float64Array', (o) => { o.xs[1][2] = NaN; }, 'xs[1][2]', /must be a finite number \(got NaN\)/],
  [TaskKind.survey, 'Infinity for a number', (o) => { o.noise = Infinity; }, 'noise'],
  [TaskKind.survey, 'a wrong type', (o) => { o.noise = '0.1'; }, 'noise', /must be a finite number \(got '0.1'\)/],
  [TaskKind.survey, 'fewer outputs than inputs', (o) => { o.ys.pop(); }, 'ys', /as many entries as xs/],
  [TaskKind.survey, 'a point of the wrong length', (o) => { o.xs[3] = o.xs[3].subarray(1); }, 'xs[3]', /must have \d+ entries \(as the run's inputDim\)/],
  [TaskKind.segmentKinks, 'a kink without its point', (o) => { delete o.kinks[0].point; }, 'kinks[0].point', /is missing/],
  [TaskKind.segmentKinks, 'one segment end', (o) => { o.ends.pop(); }, 'ends', /must have 2 entries/],
  [TaskKind.segmentKinks, 'a fractional count', (o) => { o.unresolved = 0.5; }, 'unresolved', /must be an integer/],
  [TaskKind.segmentKinks, 'an output of the wrong length', (o) => { o.ends[1].y = new Float64Array(3); }, 'ends[1].y', /must have \d+ entries \(as the run's outputDim\)/],
  [TaskKind.segmentKinks, 'a kink without its slopes', (o) => { delete o.kinks[0].slopeLeft; }, 'kinks[0].slopeLeft', /is missing/],
  [TaskKind.checkKink, 'an unknown verdict', (o) => { o.verdict = 'curved'; }, 'verdict'],
  [TaskKind.checkKink, 'one jump too few', (o) => { o.jumps.pop(); }, 'jumps', /one entry per point/],
  [TaskKind.checkKink, 'a negative jump', (o) => { o.jumps[0] = -1; }, 'jumps[0]', /must be >= 0/],
  [TaskKind.pieceJacobian, 'a Jacobian of the wrong size', (o) => { o.jacobian = o.jacobian.subarray(1); }, 'jacobian', /outputDim x inputDim/],
  [TaskKind.pieceJacobian, 'ok as a string', (o) => { o.ok = 'yes'; }, 'ok', /must be a boolean/],
  [TaskKind.pieceJacobian, 'a refusal without its reason', () => ({ ok: false }), 'reason', /is missing/],
  [TaskKind.testPlane, 'an unknown fit', (o) => { o.plane.fit = 'guess'; }, 'plane.fit'],
  [TaskKind.testPlane, 'a plane without a normal', (o) => { delete o.plane.normal; }, 'plane.normal'],
  [TaskKind.testPlane, 'a fractional hit count', (o) => { o.plane.hits = 1.5; }, 'plane.hits'],
  [TaskKind.refineWide, 'signs as a number[]', (o) => { o.report.signs = Array.from(o.report.signs); }, 'report.signs', /Int8Array/],
  [TaskKind.refineWide, 'one error estimate too few', (o) => { o.report.before = o.report.before.subarray(1); }, 'report.before', /one entry per plane/],
  [TaskKind.refineWide, 'a failed plane that does not exist', (o) => { o.report.failed = [o.report.signs.length]; }, 'report.failed[0]', /must be <=/],
  [TaskKind.refineWide, 'more planes than the layer has', (o) => { o.planes.push(o.planes[0]); }, 'planes', /at most one entry per plane of the layer/],
  [TaskKind.refineWide, 'a plane with NaN in its jump', (o) => { o.planes[2].jump[1] = NaN; }, 'planes[2].jump[1]'],
  [TaskKind.traceLayer, 'an unknown verdict', (o) => { o.neurons[0].membership.verdict = 'maybe'; }, 'neurons[0].membership.verdict'],
  [TaskKind.traceLayer, 'c of another width', (o) => { o.neurons[1].c = new Float64Array(o.neurons[1].c.length + 1); }, 'neurons[1].c', /must have \d+ entries \(as neurons\[0\]\.c\)/],
  [TaskKind.traceLayer, 'a seen neuron out of range', (o) => { o.neurons[0].seen.push(o.neurons[0].c.length); }, `neurons[0].seen[`],
  [TaskKind.traceLayer, 'fixed states not matching the columns', (o) => { o.neurons[0].fixedStates.push(1); }, 'neurons[0].fixedStates', /one entry per fixed column/],
  [TaskKind.traceLayer, 'a negative count of failed crossings', (o) => { o.neurons[0].failedCrossings = -1; }, 'neurons[0].failedCrossings'],
  [TaskKind.traceSeed, 'a fractional count of failed crossings', (o) => { o.neuron.failedCrossings = 1.5; }, 'neuron.failedCrossings'],
  [TaskKind.traceLayer, 'a rejected line that is no string', (o) => { o.rejected.push(3); }, `rejected[`],
  [TaskKind.traceLayer, 'a missing field', (o) => { delete o.traces; }, 'traces'],
  [TaskKind.traceSeed, 'an unknown outcome', (o) => { o.kind = 'maybe'; }, 'kind'],
  [TaskKind.traceSeed, 'a neuron whose points are number arrays', (o) => { o.neuron.points[0] = [...o.neuron.points[0]]; }, 'neuron.points[0]'],
  [TaskKind.traceSeed, 'a fallback flag that is not true', (o) => { o.fallback = 'yes'; }, 'fallback'],
  [TaskKind.traceSeed, 'a bend seed of the wrong length', (o) => ({ kind: 'confined', line: 'bent', log: '', seeds: [{ point: o.neuron.points[0].subarray(1), normal: o.neuron.points[0] }] }), 'seeds[0].point', /inputDim/],
  [TaskKind.rareNeurons, 'an infinite bias deep inside', (o) => { o.found.neurons[0].bias = -Infinity; }, 'found.neurons[0].bias'],
  [TaskKind.rareNeurons, 'a negative seed count', (o) => { o.seeds = -1; }, 'seeds', /must be >= 0/],
  [TaskKind.boundaryPoints, 'a point as a number[]', (o) => { o.points[0] = Array.from(o.points[0]); }, 'points[0]'],
  [TaskKind.outputs, 'no outputs', (o) => { delete o.ys; }, 'ys'],
  [TaskKind.outputs, 'not an object', () => null, '$', /the output must be an object \(got null\)/],
  [TaskKind.outputs, 'an array', () => [1, 2], '$'],
];

t.test('validateTaskOutput - bogus outputs are refused with a TaskOutputError naming kind and field', async (t) => {
  for (const [kind, what, edit, field, message] of CASES) {
    const sample = samples.get(kind);
    if (sample === undefined) {
      t.fail(`no sample of '${kind}'`);
      continue;
    }
    const copy = structuredClone(sample.output) as any;
    const edited = edit(copy);
    const bogus = edited === undefined ? copy : edited;
    let error: unknown;
    try {
      validateTaskOutput(kind, bogus, sample.dims);
    } catch (err) {
      error = err;
    }
    t.ok(error instanceof TaskOutputError, `${kind}: ${what} is refused`);
    const e = error as TaskOutputError;
    t.equal(e?.kind, kind, `${kind}: ${what}: the error names the kind`);
    if (field.endsWith('[')) t.ok(e?.field.startsWith(field), `${kind}: ${what}: field ${e?.field}`);
    else t.equal(e?.field, field, `${kind}: ${what}: the error names the field`);
    if (message) t.match(e?.message, message, `${kind}: ${what}: ${e?.message}`);
    t.match(e?.message, new RegExp(`^bogus '${kind}' task output: `));
  }
});

t.test('validateTaskOutput - lengths follow the run dims when given, the first vector otherwise', async (t) => {
  const ys = [new Float64Array([1, 2]), new Float64Array([3, 4])];
  validateTaskOutput(TaskKind.outputs, { ys });
  validateTaskOutput(TaskKind.outputs, { ys }, { outputDim: 2 });
  t.throws(() => validateTaskOutput(TaskKind.outputs, { ys }, { outputDim: 3 }), { name: 'TaskOutputError', field: 'ys[0]', message: /must have 3 entries \(as the run's outputDim\)/ });
  t.throws(() => validateTaskOutput(TaskKind.outputs, { ys: [ys[0], new Float64Array(3)] }), { field: 'ys[1]', message: /must have 2 entries \(as ys\[0\]\)/ });
  t.throws(() => validateTaskOutput(TaskKind.outputs, { ys: [new Float64Array(0)] }), { field: 'ys[0]', message: /must not be empty/ });
  validateTaskOutput(TaskKind.outputs, { ys: [] }, { outputDim: 2 });
  validateTaskOutput(TaskKind.outputs, { ys, extra: 'ignored' });
  t.throws(() => validateTaskOutput(TaskKind.pieceJacobian, { ok: true, jacobian: new Float64Array(6), y: new Float64Array(2) }, { inputDim: 4, outputDim: 2 }), { name: 'TaskOutputError', field: 'jacobian' });
  validateTaskOutput(TaskKind.pieceJacobian, { ok: true, jacobian: new Float64Array(8), y: new Float64Array(2) }, { inputDim: 4, outputDim: 2 });
  validateTaskOutput(TaskKind.pieceJacobian, { ok: true, jacobian: new Float64Array(6), y: new Float64Array(2) });
});

t.test('validateTaskOutput - a seed left without its normal carries how it was crossed, checked when present', async (t) => {
  const v = (...x: number[]) => Float64Array.from(x);
  const layer = (crossing: unknown) => ({ neurons: [], unexplained: [{ point: v(1, 2), normal: v(0, 0), crossing }], traces: 0, rejected: [], missedPrevious: [] });
  validateTaskOutput(TaskKind.traceLayer, layer({ direction: v(1, 0), before: 0.5, after: 0.25, beside: v(1, 2.001) }), { inputDim: 2 });
  validateTaskOutput(TaskKind.traceLayer, layer(undefined), { inputDim: 2 });
  t.throws(() => validateTaskOutput(TaskKind.traceLayer, layer({ direction: v(1, 0), before: -1, after: 0.25 })), { field: 'unexplained[0].crossing.before', message: /must be >= 0/ });
  t.throws(() => validateTaskOutput(TaskKind.traceLayer, layer({ direction: v(1, 0, 0), before: 1, after: 1 }), { inputDim: 2 }), { name: 'TaskOutputError', field: 'unexplained[0].crossing.direction' });
  t.throws(() => validateTaskOutput(TaskKind.traceLayer, layer({ direction: v(1, 0), before: 1 })), { field: 'unexplained[0].crossing.after', message: /is missing/ });
});

t.test('validateTaskOutput - an unknown kind is refused', async (t) => {
  t.throws(() => validateTaskOutput('square', { y: 1 }), { name: 'TaskOutputError', kind: 'square', field: '$', message: /unknown task kind 'square'/ });
  t.ok(new TaskOutputError('k', 'f', 'm') instanceof Error);
});
