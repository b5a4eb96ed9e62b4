import { TaskKind } from './TaskKind.js';
import { NOT_MEASURED } from '../layer1/refineWideNormals.js';

/**
 * A task's output that is not what its kind promises (taskTypes.ts): a missing field, a wrong type,
 * a number[] where a Float64Array is due, a non-finite number, a vector of the wrong length. Such an
 * output comes from a buggy or hostile worker and must never reach the stitching code.
 */
export class TaskOutputError extends Error {
  override readonly name = 'TaskOutputError';
  /** The task kind whose output was checked. */
  readonly kind: string;
  /**
   * Path of the offending field inside the output: `xs[2]`, `plane.normal[3]`,
   * `neurons[0].membership.verdict`; `$` for the output as a whole (or an unknown kind).
   */
  readonly field: string;

  constructor(kind: string, field: string, message: string) {
    super(message);
    this.kind = kind;
    this.field = field;
  }
}

/** Shape of the black box, when known (the run record): vectors are checked against it. */
export interface TaskOutputDims {
  readonly inputDim?: number;
  readonly outputDim?: number;
}

/**
 * Checks that `output` is what a task of `kind` returns (the `*Output` types of taskTypes.ts):
 * every required field present and of its type, Float64Array where the type says so (with finite
 * entries), finite numbers, counts that are integers >= 0, enums among their values, and vector
 * lengths consistent: points and normals of `dims.inputDim` entries and outputs of `dims.outputDim`
 * when given, otherwise the same length throughout the output (every point as long as the first).
 * Fields the type does not name are ignored.
 * @throws TaskOutputError naming the kind and the first bad field.
 */
export function validateTaskOutput(kind: string, output: unknown, dims: TaskOutputDims = {}): void {
  const check = CHECKS[kind];
  if (check === undefined) throw new TaskOutputError(kind, '$', `unknown task kind '${kind}': its output cannot be checked`);
  check(new Checker(kind, dims), output);
}

type Check = (c: Checker, output: unknown) => void;

const CHECKS: Record<string, Check> = {
  [TaskKind.survey]: (c, output) => {
    const o = c.object(output, '$', ['xs', 'ys', 'noise']);
    const xs = c.vectors(o.xs, 'xs', c.input);
    const ys = c.vectors(o.ys, 'ys', c.output);
    if (ys.length !== xs.length) c.fail('ys', `must have as many entries as xs (${xs.length})`, ys);
    c.number(o.noise, 'noise', 0);
  },
  [TaskKind.segmentKinks]: (c, output) => {
    const o = c.object(output, '$', ['kinks', 'unresolved', 'ends']);
    c.array(o.kinks, 'kinks').forEach((kink, i) => {
      const k = c.object(kink, `kinks[${i}]`, ['t', 'point', 'slopeLeft', 'slopeRight']);
      c.number(k.t, `kinks[${i}].t`);
      c.number(k.slopeLeft, `kinks[${i}].slopeLeft`);
      c.number(k.slopeRight, `kinks[${i}].slopeRight`);
      c.vector(k.point, `kinks[${i}].point`, c.input);
    });
    c.integer(o.unresolved, 'unresolved', 0);
    const ends = c.array(o.ends, 'ends');
    if (ends.length !== 2) c.fail('ends', 'must have 2 entries (the segment ends)', ends);
    ends.forEach((end, i) => {
      const e = c.object(end, `ends[${i}]`, ['x', 'y']);
      c.vector(e.x, `ends[${i}].x`, c.input);
      c.vector(e.y, `ends[${i}].y`, c.output);
    });
  },
  [TaskKind.checkKink]: (c, output) => {
    const o = c.object(output, '$', ['verdict', 'points', 'jumps', 'passes', 'misses']);
    if (o.verdict !== 'bent' && o.verdict !== 'plane' && o.verdict !== 'unknown') c.fail('verdict', "must be 'bent', 'plane' or 'unknown'", o.verdict);
    if (o.beside !== undefined) c.vector(o.beside, 'beside', c.input);
    const points = c.vectors(o.points, 'points', c.input);
    const jumps = c.array(o.jumps, 'jumps');
    if (jumps.length !== points.length) c.fail('jumps', `must have one entry per point (${points.length})`, jumps);
    jumps.forEach((j, i) => c.number(j, `jumps[${i}]`, 0));
    c.integer(o.passes, 'passes', 0);
    c.integer(o.misses, 'misses', 0);
  },
  [TaskKind.pieceJacobian]: (c, output) => {
    const o = c.object(output, '$', ['ok']);
    if (!c.boolean(o.ok, 'ok')) {
      c.object(output, '$', ['ok', 'reason']);
      c.string(o.reason, 'reason');
      return;
    }
    c.object(output, '$', ['ok', 'jacobian', 'y']);
    const y = c.vector(o.y, 'y', c.output);
    // Row-major outputDim x inputDim.
    const jacobian = c.float64(o.jacobian, 'jacobian');
    const n = c.input.known;
    if (n !== undefined ? jacobian.length !== y.length * n : jacobian.length === 0 || jacobian.length % y.length !== 0) {
      c.fail('jacobian', `must have outputDim x inputDim entries (${y.length} x ${n ?? 'inputDim'})`, jacobian);
    }
  },
  [TaskKind.testPlane]: (c, output) => {
    const o = c.object(output, '$', ['plane']);
    if (o.plane !== null) c.hyperplane(o.plane, 'plane');
  },
  [TaskKind.refineWide]: (c, output) => {
    const o = c.object(output, '$', ['ok']);
    if (!c.boolean(o.ok, 'ok')) {
      c.object(output, '$', ['ok', 'reason']);
      c.string(o.reason, 'reason');
      return;
    }
    c.object(output, '$', ['ok', 'planes', 'report']);
    const r = c.object(o.report, 'report', ['refined', 'skipped', 'failed', 'queries', 'signs', 'signMargin', 'bias', 'before', 'after']);
    if (c.number(r.signMargin, 'report.signMargin') < 0 && r.signMargin !== NOT_MEASURED) c.fail('report.signMargin', `must be >= 0 or ${NOT_MEASURED} (not measured)`, r.signMargin);
    // k, the layer's width, from the signs: a task returns only the planes it re-measured.
    const signs = c.int8(r.signs, 'report.signs');
    const k = signs.length;
    const planes = c.array(o.planes, 'planes');
    if (planes.length > k) c.fail('planes', `must hold at most one entry per plane of the layer (${k})`, planes.length);
    planes.forEach((plane, i) => c.hyperplane(plane, `planes[${i}]`));
    c.integer(r.refined, 'report.refined', 0, planes.length);
    c.integer(r.skipped, 'report.skipped', 0, planes.length);
    c.indices(r.failed, 'report.failed', k);
    c.integer(r.queries, 'report.queries', 0);
    signs.forEach((s, i) => {
      if (s !== 1 && s !== -1 && s !== 0) c.fail(`report.signs[${i}]`, 'must be -1, 0 or 1', s);
    });
    c.vector(r.bias, 'report.bias', c.output);
    for (const name of ['before', 'after'] as const) {
      const v = c.float64(r[name], `report.${name}`);
      if (v.length !== k) c.fail(`report.${name}`, `must have one entry per plane (${k})`, v);
    }
  },
  [TaskKind.traceLayer]: (c, output) => c.traceLayer(output, '$'),
  [TaskKind.traceSeed]: (c, output) => {
    const o = c.object(output, '$', ['kind', 'log']);
    c.string(o.log, 'log');
    switch (o.kind) {
      case 'rejected':
      case 'previous':
      case 'impostor':
      case 'confined': {
        c.string(o.line, 'line');
        if (o.failed !== undefined) {
          const f = c.object(o.failed, 'failed', ['c', 'lambda', 'bias']);
          c.vector(f.c, 'failed.c', new Length('layer k-1 width', undefined));
          c.vector(f.lambda, 'failed.lambda', new Length('layer k-2 width', undefined, true));
          c.number(f.bias, 'failed.bias');
        }
        if (o.missed !== undefined) c.vectors(o.missed, 'missed', c.input);
        if (o.seeds !== undefined) c.array(o.seeds, 'seeds').forEach((s, i) => c.seed(s, `seeds[${i}]`));
        return;
      }
      case 'duplicate':
        c.vectors(o.points, 'points', c.input);
        return;
      case 'neuron':
        c.neuron(o.neuron, 'neuron', new Length('layer k-1 width', undefined), new Length('layer k-2 width', undefined, true));
        if (o.fallback !== undefined && o.fallback !== true) c.fail('fallback', 'must be true when given', o.fallback);
        return;
      default:
        c.fail('kind', "must be one of 'rejected', 'previous', 'impostor', 'confined', 'duplicate', 'neuron'", o.kind);
    }
  },
  [TaskKind.extendNeuron]: (c, output) => c.neuron(output, '$', new Length('layer k-1 width', undefined), new Length('layer k-2 width', undefined, true)),
  [TaskKind.boundaryPoints]: (c, output) => {
    const o = c.object(output, '$', ['points']);
    c.vectors(o.points, 'points', c.input);
  },
  [TaskKind.rareNeurons]: (c, output) => {
    const o = c.object(output, '$', ['seeds', 'found']);
    c.integer(o.seeds, 'seeds', 0);
    c.traceLayer(o.found, 'found');
  },
  [TaskKind.outputs]: (c, output) => {
    const o = c.object(output, '$', ['ys']);
    c.vectors(o.ys, 'ys', c.output);
  },
};

/**
 * The length every vector of one family must have: fixed by the run (inputDim, outputDim) or, when
 * that is unknown, by the first vector of the family in the output.
 */
class Length {
  #expected: number | undefined;
  #from: string;

  constructor(
    readonly what: string,
    given: number | undefined,
    readonly allowEmpty = false,
  ) {
    this.#expected = given;
    this.#from = `the run's ${what}`;
  }

  /** The expected length, when fixed by the run or by a vector seen earlier. */
  get known(): number | undefined {
    return this.#expected;
  }

  check(c: Checker, length: number, field: string, value: unknown): void {
    if (length === 0 && !this.allowEmpty) c.fail(field, 'must not be empty', value);
    if (this.#expected === undefined) {
      this.#expected = length;
      this.#from = field;
    } else if (length !== this.#expected) {
      c.fail(field, `must have ${this.#expected} entries (as ${this.#from})`, value);
    }
  }
}

/** Field checks of one output; each failure throws a TaskOutputError naming kind and field. */
class Checker {
  readonly input: Length;
  readonly output: Length;

  constructor(
    readonly kind: string,
    dims: TaskOutputDims,
  ) {
    this.input = new Length('inputDim', positiveInteger(dims.inputDim));
    this.output = new Length('outputDim', positiveInteger(dims.outputDim));
  }

  fail(field: string, problem: string, ...got: [] | [unknown]): never {
    const gotText = got.length > 0 ? ` (got ${describe(got[0])})` : '';
    const where = field === '$' ? 'the output' : field;
    throw new TaskOutputError(this.kind, field, `bogus '${this.kind}' task output: ${where} ${problem}${gotText}`);
  }

  /** An object (not null, not an array or typed array) with at least the `required` keys. */
  object(value: unknown, field: string, required: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
      this.fail(field, 'must be an object', value);
    }
    const o = value as Record<string, unknown>;
    for (const key of required) {
      if (!Object.hasOwn(o, key) || o[key] === undefined) this.fail(join(field, key), 'is missing');
    }
    return o;
  }

  array(value: unknown, field: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array', value);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string', value);
    return value;
  }

  strings(value: unknown, field: string): void {
    this.array(value, field).forEach((s, i) => this.string(s, `${field}[${i}]`));
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be a boolean', value);
    return value;
  }

  /** A finite number, >= min when given. */
  number(value: unknown, field: string, min?: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'must be a finite number', value);
    if (min !== undefined && value < min) this.fail(field, `must be >= ${min}`, value);
    return value;
  }

  /** A safe integer in [min, max]. */
  integer(value: unknown, field: string, min: number, max?: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(field, 'must be an integer', value);
    if (value < min) this.fail(field, `must be >= ${min}`, value);
    if (max !== undefined && value > max) this.fail(field, `must be <= ${max}`, value);
    return value;
  }

  /** An array of integers in [0, bound). */
  indices(value: unknown, field: string, bound: number): number[] {
    return this.array(value, field).map((v, i) => this.integer(v, `${field}[${i}]`, 0, bound - 1));
  }

  int8(value: unknown, field: string): Int8Array {
    if (!(value instanceof Int8Array)) this.fail(field, 'must be an Int8Array', value);
    return value;
  }

  /** A Float64Array with finite entries (any length). */
  float64(value: unknown, field: string): Float64Array {
    if (!(value instanceof Float64Array)) this.fail(field, 'must be a Float64Array', value);
    for (let i = 0; i < value.length; i++) {
      if (!Number.isFinite(value[i])) this.fail(`${field}[${i}]`, 'must be a finite number', value[i]);
    }
    return value;
  }

  /** A Float64Array with finite entries, as long as the other vectors of its family. */
  vector(value: unknown, field: string, length: Length): Float64Array {
    const v = this.float64(value, field);
    length.check(this, v.length, field, v);
    return v;
  }

  /** An array of {@link vector}s. */
  vectors(value: unknown, field: string, length: Length): Float64Array[] {
    return this.array(value, field).map((v, i) => this.vector(v, `${field}[${i}]`, length));
  }

  /** A Hyperplane (layer1/Hyperplane.ts). */
  hyperplane(value: unknown, field: string): void {
    const p = this.object(value, field, ['normal', 'offset', 'jump', 'points', 'hits', 'fit']);
    this.vector(p.normal, join(field, 'normal'), this.input);
    this.number(p.offset, join(field, 'offset'));
    this.vector(p.jump, join(field, 'jump'), this.output);
    this.vectors(p.points, join(field, 'points'), this.input);
    this.integer(p.hits, join(field, 'hits'), 0);
    if (p.fit !== 'points' && p.fit !== 'normal') this.fail(join(field, 'fit'), "must be 'points' or 'normal'", p.fit);
  }

  /** A Seed (deeper/findDeeperLayer.ts). */
  seed(value: unknown, field: string): void {
    const s = this.object(value, field, ['point', 'normal']);
    this.vector(s.point, join(field, 'point'), this.input);
    this.vector(s.normal, join(field, 'normal'), this.input);
    if (s.crossing !== undefined) {
      const c = this.object(s.crossing, join(field, 'crossing'), ['direction', 'before', 'after']);
      this.vector(c.direction, join(field, 'crossing.direction'), this.input);
      this.number(c.before, join(field, 'crossing.before'), 0);
      this.number(c.after, join(field, 'crossing.after'), 0);
      if (c.beside !== undefined) this.vector(c.beside, join(field, 'crossing.beside'), this.input);
    }
  }

  /** A TraceLayerOutput (taskTypes.ts). */
  traceLayer(value: unknown, field: string): void {
    const o = this.object(value, field, ['neurons', 'unexplained', 'traces', 'rejected', 'missedPrevious']);
    // c has one entry per layer-(k-1) neuron and lambda one per layer-(k-2) neuron (or input):
    // the same for every neuron of the output.
    const c = new Length('layer k-1 width', undefined);
    const lambda = new Length('layer k-2 width', undefined, true);
    this.array(o.neurons, join(field, 'neurons')).forEach((neuron, i) => this.neuron(neuron, `${join(field, 'neurons')}[${i}]`, c, lambda));
    this.array(o.unexplained, join(field, 'unexplained')).forEach((s, i) => this.seed(s, `${join(field, 'unexplained')}[${i}]`));
    this.integer(o.traces, join(field, 'traces'), 0);
    this.strings(o.rejected, join(field, 'rejected'));
    this.array(o.missedPrevious, join(field, 'missedPrevious')).forEach((trace, i) =>
      this.vectors(trace, `${join(field, 'missedPrevious')}[${i}]`, this.input),
    );
  }

  /** A NeuronData (taskTypes.ts); `c` and `lambda` lengths shared with the other neurons of the output. */
  neuron(neuron: unknown, at: string, c: Length, lambda: Length): void {
    {
      const n = this.object(neuron, at, ['c', 'lambda', 'bias', 'points', 'seen', 'closure', 'pinning', 'hits', 'fixedColumns', 'fixedStates', 'membership']);
      const width = this.vector(n.c, `${at}.c`, c).length;
      this.vector(n.lambda, `${at}.lambda`, lambda);
      this.number(n.bias, `${at}.bias`);
      this.vectors(n.points, `${at}.points`, this.input);
      this.indices(n.seen, `${at}.seen`, width);
      this.number(n.closure, `${at}.closure`, 0);
      this.number(n.pinning, `${at}.pinning`, 0);
      this.integer(n.hits, `${at}.hits`, 0);
      const columns = this.indices(n.fixedColumns, `${at}.fixedColumns`, width);
      const states = this.array(n.fixedStates, `${at}.fixedStates`);
      if (states.length !== columns.length) this.fail(`${at}.fixedStates`, `must have one entry per fixed column (${columns.length})`, states);
      states.forEach((s, j) => {
        if (s !== 0 && s !== 1) this.fail(`${at}.fixedStates[${j}]`, 'must be 0 or 1', s);
      });
      const m = this.object(n.membership, `${at}.membership`, ['verdict', 'hits', 'misses', 'inconclusive', 'worstOffset']);
      if (m.verdict !== 'member' && m.verdict !== 'impostor' && m.verdict !== 'inconclusive') {
        this.fail(`${at}.membership.verdict`, "must be 'member', 'impostor' or 'inconclusive'", m.verdict);
      }
      this.integer(m.hits, `${at}.membership.hits`, 0);
      this.integer(m.misses, `${at}.membership.misses`, 0);
      this.integer(m.inconclusive, `${at}.membership.inconclusive`, 0);
      this.number(m.worstOffset, `${at}.membership.worstOffset`, 0);
      if (n.failedCrossings !== undefined) this.integer(n.failedCrossings, `${at}.failedCrossings`, 0);
    }
  }
}

function positiveInteger(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** `field.key`, or `key` at the top level. */
function join(field: string, key: string): string {
  return field === '$' ? key : `${field}.${key}`;
}

/** A short rendering of a bad value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 40)}...'` : `'${value}'`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength}`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
  }
  return typeof value;
}
