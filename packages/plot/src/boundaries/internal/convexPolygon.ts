// Convex polygons as flat [x0, y0, x1, y1, ...] arrays (counter-clockwise or clockwise alike),
// cut by the zero line of an affine function z(x, y) = gx x + gy y + g0.

/** An affine function of the two inputs. */
export interface Affine2 {
  readonly gx: number;
  readonly gy: number;
  readonly g0: number;
}

/** |z| at or below this counts as on the line: 1e-12 of the function's size over the polygon's span. */
export function zeroTolerance(f: Affine2, span: number): number {
  return 1e-12 * (Math.abs(f.gx) * span + Math.abs(f.gy) * span + Math.abs(f.g0));
}

export function valuesAt(poly: readonly number[], f: Affine2): number[] {
  const z: number[] = [];
  for (let k = 0; k < poly.length; k += 2) z.push(f.gx * poly[k] + f.gy * poly[k + 1] + f.g0);
  return z;
}

/**
 * The part of the polygon where sign * z >= 0 (vertices within eps of the line belong to both
 * halves), or null when that part has no area.
 */
export function clipHalfPlane(poly: readonly number[], z: readonly number[], sign: 1 | -1, eps: number): number[] | null {
  const out: number[] = [];
  const n = z.length;
  for (let k = 0; k < n; k++) {
    const a = k, b = (k + 1) % n;
    const za = sign * z[a], zb = sign * z[b];
    const aIn = za >= -eps, bIn = zb >= -eps;
    if (aIn) out.push(poly[2 * a], poly[2 * a + 1]);
    // A crossing strictly between the two vertices; a vertex on the line is pushed as itself.
    if (aIn !== bIn && Math.abs(za) > eps && Math.abs(zb) > eps) {
      const t = za / (za - zb);
      out.push(poly[2 * a] + t * (poly[2 * b] - poly[2 * a]), poly[2 * a + 1] + t * (poly[2 * b + 1] - poly[2 * a + 1]));
    }
  }
  return out.length >= 6 ? out : null;
}

/** Unsigned area (shoelace). */
export function polygonArea(poly: readonly number[]): number {
  let s = 0;
  const n = poly.length / 2;
  for (let k = 0; k < n; k++) {
    const j = (k + 1) % n;
    s += poly[2 * k] * poly[2 * j + 1] - poly[2 * j] * poly[2 * k + 1];
  }
  return Math.abs(s) / 2;
}

/** Mean of the vertices: inside a convex polygon. */
export function vertexMean(poly: readonly number[]): [number, number] {
  let x = 0, y = 0;
  const n = poly.length / 2;
  for (let k = 0; k < n; k++) {
    x += poly[2 * k];
    y += poly[2 * k + 1];
  }
  return [x / n, y / n];
}

/**
 * The segment where z = 0 crosses the polygon, as [x0, y0, x1, y1], or null when the line misses it,
 * only touches a vertex, or z vanishes on the whole polygon (a constant neuron has no boundary there).
 */
export function zeroSegment(poly: readonly number[], z: readonly number[], eps: number): [number, number, number, number] | null {
  const n = z.length;
  const pts: number[] = [];
  let onLine = 0;
  for (let k = 0; k < n; k++) {
    const j = (k + 1) % n;
    if (Math.abs(z[k]) <= eps) {
      onLine++;
      pts.push(poly[2 * k], poly[2 * k + 1]);
    } else if (Math.abs(z[j]) > eps && (z[k] > 0) !== (z[j] > 0)) {
      const t = z[k] / (z[k] - z[j]);
      pts.push(poly[2 * k] + t * (poly[2 * j] - poly[2 * k]), poly[2 * k + 1] + t * (poly[2 * j + 1] - poly[2 * k + 1]));
    }
  }
  if (onLine === n || pts.length < 4) return null;
  // Convex: the crossing points are the two ends (plus, rarely, a vertex on the line between them).
  let best = -1, bi = 0, bj = 0;
  for (let a = 0; a < pts.length; a += 2) {
    for (let b = a + 2; b < pts.length; b += 2) {
      const d = (pts[a] - pts[b]) ** 2 + (pts[a + 1] - pts[b + 1]) ** 2;
      if (d > best) [best, bi, bj] = [d, a, b];
    }
  }
  if (!(best > 0)) return null;
  return [pts[bi], pts[bi + 1], pts[bj], pts[bj + 1]];
}
