/**
 * A coordinate or attribute number with at most `decimals` decimals and no trailing zeros
 * ('12.5', '3', never '-0'). Non-finite values throw: SVG has no spelling for them, and a chart that
 * silently drew NaN at 0 would lie.
 * @throws RangeError when value is not finite or decimals is not an integer in [0, 12]
 */
export function formatNumber(value: number, decimals = 3): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) throw new RangeError(`decimals must be an integer in [0, 12], got ${decimals}`);
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as an SVG number`);
  let text = value.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}
