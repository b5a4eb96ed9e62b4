/**
 * One Adam update (Kingma and Ba 2015, Algorithm 1) of `params` in place, `t` the 1-based step.
 * m and v are the first and second moment estimates, updated in place.
 */
export function adamStep(
  params: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  t: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
): void {
  const c1 = 1 / (1 - beta1 ** t), c2 = 1 / (1 - beta2 ** t);
  for (let k = 0; k < params.length; k++) {
    const g = grad[k];
    const mk = (m[k] = beta1 * m[k] + (1 - beta1) * g);
    const vk = (v[k] = beta2 * v[k] + (1 - beta2) * g * g);
    params[k] -= (lr * (mk * c1)) / (Math.sqrt(vk * c2) + eps);
  }
}
