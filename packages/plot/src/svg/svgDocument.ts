import { element } from './element.js';
import { escapeXml } from './escapeXml.js';

export interface SvgDocumentOptions {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Written as <title> (shown by viewers as a tooltip, read by screen readers). Default none. */
  title?: string;
  /** Written as <desc>. Default none. */
  description?: string;
}

/** A standalone SVG 1.1 file: XML declaration, the root element with a white background, then the children. Ends with a newline. */
export function svgDocument(options: SvgDocumentOptions, children: readonly string[]): string {
  const { width, height } = options;
  if (!(Number.isFinite(width) && width > 0)) throw new RangeError(`options.width must be a positive number, got ${width}`);
  if (!(Number.isFinite(height) && height > 0)) throw new RangeError(`options.height must be a positive number, got ${height}`);
  const head: string[] = [];
  if (options.title !== undefined) head.push(`<title>${escapeXml(options.title)}</title>`);
  if (options.description !== undefined) head.push(`<desc>${escapeXml(options.description)}</desc>`);
  const root = element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      version: '1.1',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': 'Helvetica, Arial, sans-serif',
      'font-size': 12,
    },
    [...head, element('rect', { x: 0, y: 0, width, height, fill: 'white' }), ...children],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}
