import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { hashSeed } from './hashSeed.js';

/** A seeded source of randomness. Every random choice in relurec comes from one of these. */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  nextDouble(): number;
  /** Standard normal N(0, 1) (Box-Muller, cached pair). */
  nextGaussian(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** A Float64Array of `length` independent N(0, 1) draws. */
  gaussianArray(length: number): Float64Array;
  /** A uniformly random unit vector in R^dim. */
  unitVector(dim: number): Float64Array;
  /** An independent generator derived from this one's seed and a label (does not advance this one). */
  fork(...labels: (string | number)[]): Rng;
}

/** Creates a deterministic generator from a 32-bit-safe integer seed. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new TypeError(`seed must be a finite number, got ${seed}`);
  const base = hashSeed(seed);
  const gen = xoroshiro128plus(base);
  let spare: number | undefined;
  const rng: Rng = {
    nextDouble: () => uniformFloat64(gen),
    nextGaussian() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniformFloat64(gen);
      const v = uniformFloat64(gen);
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    nextInt(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n must be a positive integer, got ${n}`);
      return Math.floor(uniformFloat64(gen) * n);
    },
    gaussianArray(length: number) {
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) out[i] = rng.nextGaussian();
      return out;
    },
    unitVector(dim: number) {
      const v = rng.gaussianArray(dim);
      let s = 0;
      for (let i = 0; i < dim; i++) s += v[i] * v[i];
      s = Math.sqrt(s);
      for (let i = 0; i < dim; i++) v[i] /= s;
      return v;
    },
    fork: (...labels) => createRng(deriveSeed(seed, ...labels)),
  };
  return rng;
}

/** A seed derived deterministically from a parent seed and labels (e.g. a task id). */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = hashSeed(seed);
  for (const label of labels) {
    const s = String(label);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = hashSeed(h ^ 0x9e3779b9);
  }
  return h >>> 0;
}
