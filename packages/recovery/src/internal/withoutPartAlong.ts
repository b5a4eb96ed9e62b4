/**
 * v less its part along u (v - (v . u / |u|^2) u; v itself when u is 0). Across a neuron z's boundary
 * in this direction, an input i whose gradient is u keeps its value (h_i held).
 */
export function withoutPartAlong(v: Float64Array, u: Float64Array): Float64Array {
  const uu = u.reduce((a, w) => a + w * w, 0);
  const along = uu > 0 ? v.reduce((a, w, d) => a + w * u[d], 0) / uu : 0;
  return v.map((w, d) => w - along * u[d]);
}
