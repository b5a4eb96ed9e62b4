/** Throws a TypeError unless `name` can name a blob: a non-empty string of at most 255 characters. */
export function checkBlobName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255) {
    throw new TypeError(`blob name must be a non-empty string of at most 255 characters (got ${JSON.stringify(name) ?? String(name)})`);
  }
}
