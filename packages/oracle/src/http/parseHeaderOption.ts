/** One HTTP header, e.g. `{ name: 'Authorization', value: 'Bearer KEY' }`. */
export interface HeaderOption {
  readonly name: string;
  readonly value: string;
}

// RFC 9110 token characters.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses a header given on the command line as `'Name: value'` (`--oracle-header 'Authorization: Bearer KEY'`).
 * Whitespace around name and value is dropped. Error messages never repeat the value, which is
 * usually a secret.
 * @throws TypeError when there is no ':', the name is not a valid header name, or the value is empty or holds a line break
 */
export function parseHeaderOption(text: string): HeaderOption {
  if (typeof text !== 'string') throw new TypeError(`header must be a string 'Name: value', got ${typeof text}`);
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new TypeError(`header must look like 'Name: value' (e.g. 'Authorization: Bearer KEY'), but it has no ':'`);
  }
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!TOKEN.test(name)) {
    throw new TypeError(
      `header must look like 'Name: value' (e.g. 'Authorization: Bearer KEY'), but the name ${JSON.stringify(name)} is not a valid header name`,
    );
  }
  if (value === '') throw new TypeError(`header '${name}' has an empty value`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`header '${name}' value holds a line break or NUL`);
  return { name, value };
}
