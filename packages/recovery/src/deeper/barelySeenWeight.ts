/**
 * The weight a weakly pinned row's weak direction lies along, when it lies along one: `direction` is
 * solveCandidate's weakDirection over [row (n entries), bias], unit; the column j whose entry holds
 * more than `share` of it (default 0.9), else undefined. Such a weight is barely seen on the
 * neuron's boundary (its input seldom active there) and can be measured as an unseen one is.
 */
export function barelySeenWeight(direction: Float64Array, n: number, share = 0.9): number | undefined {
  let j = 0;
  for (let i = 1; i < n; i++) if (Math.abs(direction[i]) > Math.abs(direction[j])) j = i;
  return Math.abs(direction[j]) > share ? j : undefined;
}
