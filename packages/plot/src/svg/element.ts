import { escapeXml } from './escapeXml.js';
import { formatNumber } from './formatNumber.js';

/** Attribute values: numbers are written with formatNumber (3 decimals); undefined, null and false leave the attribute out; true writes name="name". */
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * One XML element as text. Attribute values are escaped; children are markup already (use `text`
 * for character data). No children gives a self-closing tag.
 */
export function element(name: string, attributes: Attributes = {}, children: string | readonly string[] = []): string {
  if (!/^[A-Za-z_][\w.:-]*$/.test(name)) throw new RangeError(`'${name}' is not an XML element name`);
  let attrs = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (!/^[A-Za-z_][\w.:-]*$/.test(key)) throw new RangeError(`'${key}' is not an XML attribute name`);
    const written = value === true ? key : typeof value === 'number' ? formatNumber(value) : escapeXml(value);
    attrs += ` ${key}="${written}"`;
  }
  const body = typeof children === 'string' ? children : children.join('');
  return body === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

/** A <text> element with escaped content. */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return element('text', { x, y, ...attributes }, escapeXml(content));
}
