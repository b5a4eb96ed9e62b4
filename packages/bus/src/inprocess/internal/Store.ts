import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What an in-process bus keeps by key: run records, statuses and blobs. */
export type StoreKind = 'runs' | 'status' | 'blobs';

/** Keyed bytes, in memory or in files. */
export interface Store {
  get(kind: StoreKind, key: string): Promise<Uint8Array | undefined>;
  put(kind: StoreKind, key: string, bytes: Uint8Array): Promise<void>;
  /** Every key of a kind, sorted. */
  keys(kind: StoreKind): Promise<string[]>;
}

/** A store that lives and dies with the process. Values are copied in and out. */
export class MemoryStore implements Store {
  readonly #maps = { runs: new Map<string, Uint8Array>(), status: new Map<string, Uint8Array>(), blobs: new Map<string, Uint8Array>() };

  async get(kind: StoreKind, key: string): Promise<Uint8Array | undefined> {
    return this.#maps[kind].get(key)?.slice();
  }

  async put(kind: StoreKind, key: string, bytes: Uint8Array): Promise<void> {
    this.#maps[kind].set(key, bytes.slice());
  }

  async keys(kind: StoreKind): Promise<string[]> {
    return [...this.#maps[kind].keys()].sort();
  }
}

/**
 * A store in `dir/<kind>/<file>`: one file per key, written to a temporary file and renamed over,
 * so a reader sees the old value or the new one, never half of one. File names are the keys
 * percent-encoded (dots too: no name is '.' or '..').
 */
export class FileStore implements Store {
  readonly #dir: string;
  #serial = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async get(kind: StoreKind, key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.#path(kind, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(kind: StoreKind, key: string, bytes: Uint8Array): Promise<void> {
    await mkdir(join(this.#dir, kind), { recursive: true });
    const path = this.#path(kind, key);
    const tmp = `${path}.tmp-${process.pid}-${this.#serial++}`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async keys(kind: StoreKind): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(join(this.#dir, kind));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((name) => !name.includes('.tmp-'))
      .map((name) => decodeURIComponent(name))
      .sort();
  }

  #path(kind: StoreKind, key: string): string {
    return join(this.#dir, kind, fileNameOf(key));
  }
}

/** The file name of a key: percent-encoded, dots included. */
export function fileNameOf(key: string): string {
  return encodeURIComponent(key).replace(/\./g, '%2E');
}
