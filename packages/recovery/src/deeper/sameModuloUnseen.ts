/** A row of a recovered layer with the inputs its boundary never showed (their weights are not known). */
export interface PartialRow {
  row: ArrayLike<number>;
  bias: number;
  unseen: readonly number[];
}

/**
 * Two rows of one layer that agree, up to scale and sign, on every input both boundaries showed
 * (each scaled to unit norm over those weights and the bias): one neuron seen in two regions. A
 * second trace of a neuron whose first row lacks a weight is otherwise a new neuron to an exact-row
 * test (a 10-20-20-20-1 run came back with 3 such copies in its last layer).
 */
export function sameModuloUnseen(a: PartialRow, b: PartialRow, tolerance = 1e-6): boolean {
  const common: number[] = [];
  for (let j = 0; j < a.row.length; j++) if (!a.unseen.includes(j) && !b.unseen.includes(j)) common.push(j);
  let na = a.bias * a.bias, nb = b.bias * b.bias;
  for (const j of common) {
    na += a.row[j] * a.row[j];
    nb += b.row[j] * b.row[j];
  }
  na = Math.sqrt(na);
  nb = Math.sqrt(nb);
  // Too few shared weights to say anything: not the same.
  if (!(na > 0 && nb > 0) || common.length < Math.max(2, a.row.length / 2)) return false;
  return [1, -1].some((sg) => {
    let d = Math.abs(a.bias / na - (sg * b.bias) / nb);
    for (const j of common) d = Math.max(d, Math.abs(a.row[j] / na - (sg * b.row[j]) / nb));
    return d < tolerance;
  });
}
