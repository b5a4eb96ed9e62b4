/** A piecewise-linear function to maximise, optionally on a surface. */
export interface AscentProblem {
  /** Value at x and its gradient in x's linear piece. */
  value(x: Float64Array): { v: number; g: ArrayLike<number> };
  /** Projection onto the surface (the identity when there is none); undefined when it fails. */
  project(x: Float64Array): Float64Array | undefined;
  /** The surface's normal at x; omitted when there is no surface. */
  normal?(x: Float64Array): ArrayLike<number>;
}

/**
 * Backtracking ascent of a piecewise-linear function on a surface inside the ball |x| <= radius, from
 * the projection of `start` (alternating projections bring it into the ball). The step follows the
 * gradient projected onto the surface's tangent (and the sphere's, on it); at a ridge (a kink where
 * the step overshoots into a piece that descends) it tries the sum of both pieces' unit directions,
 * which ascends both. A step leaving the ball is brought back onto the sphere. Local: the best of a few
 * starts is the caller's business. Undefined when the start cannot be brought onto the surface in the ball.
 */
export function ascendInBall(problem: AscentProblem, start: Float64Array, radius: number, steps: number): { x: Float64Array; v: number } | undefined {
  let x: Float64Array | undefined = problem.project(start);
  for (let it = 0; it < 50 && x && !(norm(x) <= radius); it++) {
    const r = norm(x);
    x = problem.project(r > radius ? x.map((w) => (w * radius) / r) : x);
  }
  if (!x || norm(x) > radius) return undefined;
  const direction = (y: Float64Array) => {
    const { v, g } = problem.value(y);
    const d = Float64Array.from(g);
    const basis: Float64Array[] = [];
    const cons = [...(problem.normal ? [problem.normal(y)] : []), ...(norm(y) > (1 - 1e-9) * radius ? [y] : [])];
    for (const c of cons) {
      const u = Float64Array.from(c);
      for (const b of basis) addScaled(u, b, -dot(u, b));
      const un = norm(u);
      if (un > 0) basis.push(u.map((w) => w / un));
    }
    for (const b of basis) addScaled(d, b, -dot(d, b));
    return { v, d };
  };
  // Back into the ball: radial shrink and surface projection alternated (a tangent step along the
  // sphere then stays on it, where a cut along the chord would not move at all).
  const inBall = (y: Float64Array | undefined) => {
    for (let it = 0; it < 20 && y && norm(y) > radius * (1 + 1e-12); it++) {
      const r = norm(y);
      y = problem.project(y.map((w) => (w * radius) / r));
    }
    return y && norm(y) <= radius * (1 + 1e-12) ? y : undefined;
  };
  let here = { y: x, ...direction(x) };
  const tryStep = (dir: Float64Array, len: number) => {
    const dn = norm(dir);
    const y = inBall(problem.project(here.y.map((w, i) => w + (len * dir[i]) / dn)));
    return y ? { y, ...direction(y) } : undefined;
  };
  let alpha = 0.1 * radius;
  for (let it = 0; it < steps && alpha > 1e-9 * radius; it++) {
    const dn = norm(here.d);
    if (!(dn > 0)) break;
    let next = tryStep(here.d, alpha);
    if (next && !(next.v > here.v)) {
      const nn = norm(next.d);
      const both = nn > 0 ? here.d.map((w, i) => w / dn + next!.d[i] / nn) : undefined;
      const alt = both && norm(both) > 0 ? tryStep(both, alpha) : undefined;
      next = alt && alt.v > here.v ? alt : undefined;
    }
    if (next && next.v > here.v) {
      here = next;
      alpha = Math.min(2 * alpha, 0.5 * radius);
    } else alpha /= 4;
  }
  return { x: here.y, v: here.v };
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function addScaled(a: Float64Array, b: ArrayLike<number>, s: number): void {
  for (let i = 0; i < a.length; i++) a[i] += s * b[i];
}
