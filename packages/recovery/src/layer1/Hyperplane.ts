/** A layer-1 boundary {x : normal . x + offset = 0}, unit normal (the canonical row and bias up to sign). */
export interface Hyperplane {
  normal: Float64Array;
  offset: number;
  /**
   * Per output: the jump of d y / d x along the normal when crossing towards normal . x + offset > 0
   * (for one hidden layer this is the output weight in canonical scale, in this plane's sign).
   */
  jump: Float64Array;
  /** Exact boundary points found by far tests (used for the fit). */
  points: Float64Array[];
  /** How many sampled kinks this plane explained (capture counts). */
  hits: number;
  /** 'points' when fitted by SVD over far-test positions, 'normal' when the measured normal was kept. */
  fit: 'points' | 'normal';
}

export function planeValue(plane: Pick<Hyperplane, 'normal' | 'offset'>, x: ArrayLike<number>): number {
  let s = plane.offset;
  for (let i = 0; i < x.length; i++) s += plane.normal[i] * x[i];
  return s;
}

/** Same neuron up to sign: |cos| > 1 - angleTol and offsets agree (with the matching sign). */
export function samePlane(a: Pick<Hyperplane, 'normal' | 'offset'>, b: Pick<Hyperplane, 'normal' | 'offset'>, angleTol: number, offsetTol: number): boolean {
  let c = 0;
  for (let i = 0; i < a.normal.length; i++) c += a.normal[i] * b.normal[i];
  if (Math.abs(c) < 1 - angleTol) return false;
  return Math.abs(a.offset - Math.sign(c) * b.offset) < offsetTol;
}
