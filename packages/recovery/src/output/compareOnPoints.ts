import { forward, type ReluNetwork } from '@relurec/network';

export interface PointCheckOptions {
  /** A point fails when max_o |y - y^| exceeds this times max(|y| at it, outputScale). Default 1e-6. */
  relativeTolerance?: number;
  /** Output scale S of the run (max |f| over the first queries). Default: the largest |y| given. */
  outputScale?: number;
  /** Oracle noise floor (output units): 1e3 x noise is added to the tolerance. Default 0. */
  noise?: number;
}

export interface PointCheck {
  checked: number;
  /** Indices of the points where the model disagrees with the black box, worst first. */
  failures: number[];
  /** Largest max_o |y - y^| / max(|y|, S) over the points. */
  worstRelative: number;
}

/**
 * The recovered network against black-box outputs on points it was not fitted to (the completeness
 * check: a rare neuron that no sample touched is invisible to every fit, ALGORITHM.md section 7).
 * No queries: `ys` are the black box's answers at `xs`.
 */
export function compareOnPoints(network: ReluNetwork, xs: Float64Array[], ys: Float64Array[], options: PointCheckOptions = {}): PointCheck {
  if (xs.length !== ys.length) throw new RangeError(`compareOnPoints: ${xs.length} points but ${ys.length} outputs`);
  if (xs.length === 0) return { checked: 0, failures: [], worstRelative: 0 };
  const n0 = xs[0].length, m = ys[0].length;
  const X = new Float64Array(xs.length * n0);
  xs.forEach((x, r) => X.set(x, r * n0));
  const Y = forward(network, X, xs.length);
  const S = options.outputScale ?? Math.max(...ys.map((y) => Math.max(...Array.from(y, Math.abs))));
  const rel = options.relativeTolerance ?? 1e-6, floor = 1e3 * (options.noise ?? 0);
  const bad: [number, number][] = [];
  let worst = 0;
  ys.forEach((y, r) => {
    let err = 0, mag = S;
    for (let o = 0; o < m; o++) {
      err = Math.max(err, Math.abs(y[o] - Y[r * m + o]));
      mag = Math.max(mag, Math.abs(y[o]));
    }
    worst = Math.max(worst, err / mag);
    if (err > rel * mag + floor) bad.push([err / mag, r]);
  });
  return { checked: xs.length, failures: bad.sort((a, b) => b[0] - a[0]).map(([, r]) => r), worstRelative: worst };
}
