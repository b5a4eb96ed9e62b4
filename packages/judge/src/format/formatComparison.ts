import type { LayerComparison, NetworkComparison } from '../compare/NetworkComparison.js';

/** Bits at and above which the display shows `>=CAP` (float64 weights carry about 53). */
export const DISPLAY_BITS_CAP = 60;

/** Rejected pairs listed per layer before the rest are counted. */
const MAX_REJECTED_SHOWN = 5;
/** Unused weights listed per layer before the rest are counted. */
const MAX_UNUSED_SHOWN = 8;

/**
 * A short plain-text table of a comparison for the CLI: architectures, one row per layer (widths,
 * matched/missing/extra/sign-flipped counts, max weight and bias error, bits), the overall error and
 * the first few rejected pairs and unused weights (left out of the errors) of each layer, the overall error and the fidelity line. Bits show as `exact` for error 0, `>=60` at or above DISPLAY_BITS_CAP and `-`
 * when nothing was compared. Ends without a newline.
 */
export function formatComparison(report: NetworkComparison): string {
  const arch = (widths: readonly number[]) => widths.join('-');
  const lines: string[] = [];
  lines.push(
    `architecture  truth ${arch(report.truthArchitecture)}  recovered ${arch(report.recoveredArchitecture)}  ` +
      (report.architectureMatch ? 'match' : 'MISMATCH'),
  );
  const header = ['layer', 'kind', 'true', 'rec', 'matched', 'missing', 'extra', 'flipped', 'max|dw|', 'max|db|', 'bits'];
  const rows = report.layers.map((l: LayerComparison) => [
    String(l.layer),
    l.kind,
    String(l.trueWidth),
    String(l.recoveredWidth),
    String(l.matched),
    String(l.missing),
    String(l.extra),
    l.kind === 'output' ? '-' : String(l.signFlipped),
    formatError(l.maxWeightError),
    formatError(l.maxBiasError),
    formatBits(l.bits),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const render = (cells: string[]) => cells.map((s, c) => (c === 1 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  lines.push(render(header), ...rows.map(render));
  for (const l of report.layers) {
    if (l.rejected.length === 0) continue;
    const shown = l.rejected.slice(0, MAX_REJECTED_SHOWN).map((p) => `${p.truth}~${p.recovered} ${formatError(p.error)}${p.signFlipped ? ' sign-flipped' : ''}`);
    const more = l.rejected.length > MAX_REJECTED_SHOWN ? `, ... ${l.rejected.length - MAX_REJECTED_SHOWN} more` : '';
    lines.push(`layer ${l.layer} rejected (true~recovered error): ${shown.join(', ')}${more}`);
  }
  for (const l of report.layers) {
    if (l.unused.length === 0) continue;
    const shown = l.unused.slice(0, MAX_UNUSED_SHOWN).map((u) => `${u.truth}<-${u.trueInput}`);
    const more = l.unused.length > MAX_UNUSED_SHOWN ? `, ... ${l.unused.length - MAX_UNUSED_SHOWN} more` : '';
    const proved = l.unused.filter((u) => u.proved).length;
    const how = report.options.exactUnused ? (proved === l.unused.length ? ' (all proved by MILP)' : `; ${proved} proved by MILP, ${l.unused.length - proved} the search's verdict`) : '';
    lines.push(`layer ${l.layer} unused weights (true neuron <- input, left out): ${shown.join(', ')}${more}${how}`);
  }
  const bits = formatBits(report.bits);
  lines.push(`max error  ${formatError(report.maxError)}  (${bits === 'exact' || bits === '-' ? bits : `${bits} bits`})${report.complete ? '' : '  INCOMPLETE'}`);
  const f = report.fidelity;
  if (f === null) {
    const why = report.inputDimMatch && report.outputDimMatch ? 'skipped' : 'not computed: input or output dims differ';
    lines.push(`fidelity   ${why}`);
  } else {
    lines.push(
      `fidelity   max|f-f^| ${formatError(f.maxAbsError)}  max|f| ${formatError(f.maxAbsOutput)}  relative ${formatError(f.relativeError)}` +
        `  (${f.samples} inputs ~ N(0, ${report.options.domainScale}^2 I))`,
    );
  }
  return lines.join('\n');
}

function formatError(e: number): string {
  if (Number.isNaN(e)) return '-';
  if (e === 0) return '0';
  if (!Number.isFinite(e)) return String(e);
  return e.toExponential(2);
}

function formatBits(bits: number): string {
  if (Number.isNaN(bits)) return '-';
  if (bits === Infinity) return 'exact';
  if (bits >= DISPLAY_BITS_CAP) return `>=${DISPLAY_BITS_CAP}`;
  return bits.toFixed(1);
}
