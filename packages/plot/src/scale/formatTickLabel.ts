import { formatNumber } from '../svg/formatNumber.js';

/**
 * A short tick label: plain decimals for 1e-3 <= |v| < 1e5 (with at most `decimals` decimals),
 * otherwise mantissa-exponent ('2e6', '1e-4'). Zero is '0'.
 */
export function formatTickLabel(value: number, decimals = 6): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e-3 && a < 1e5) return formatNumber(value, Math.min(12, Math.max(0, decimals)));
  const exponent = Math.floor(Math.log10(a));
  const mantissa = value / 10 ** exponent;
  return `${formatNumber(mantissa, 2)}e${exponent}`;
}
