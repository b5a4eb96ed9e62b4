import { writeSync } from 'node:fs';
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { frame, readFrames } from './frames.js';

/**
 * The fragments of one run in arrival order, as encoded bytes (decoded and validated by each reader,
 * like a stream's messages). With a file, every frame is appended to it before it counts as
 * published, and a new log over the same file starts with the frames already there; a torn last
 * frame (a crash mid-append) is cut off.
 */
export class FragmentLog {
  /** Payloads published so far, oldest first; readers keep a cursor into it. */
  readonly frames: Uint8Array[] = [];
  /** Resolves once the file's frames are loaded (at once without a file). */
  readonly ready: Promise<void>;
  readonly #file: string | undefined;
  // Kept open (append mode) while the log lives: opening the file for every frame cost more main-thread
  // time than the write. Each frame is written synchronously: a write of a few KB to the page cache
  // takes ~6 us where the promise API's thread-pool round trip cost ~60 us of CPU per frame (~0.1 s
  // a run). Writes still reach the kernel before a frame counts, as with appendFile.
  #handle: FileHandle | undefined;
  #chain: Promise<void>;

  constructor(file?: string) {
    this.#file = file;
    this.ready = file === undefined ? Promise.resolve() : this.#load(file);
    this.#chain = this.ready.catch(() => undefined);
  }

  /** Appends one payload (to the file first); resolves when it is readable in `frames`. */
  append(payload: Uint8Array): Promise<void> {
    const write = this.#chain.then(async () => {
      await this.ready;
      if (this.#file !== undefined) {
        this.#handle ??= await open(this.#file, 'a');
        writeAll(this.#handle.fd, frame(payload));
      }
      this.frames.push(payload);
    });
    this.#chain = write.catch(() => undefined);
    return write;
  }

  /** Resolves when every append so far has been written. */
  flush(): Promise<void> {
    return this.#chain;
  }

  /** Writes what is pending and closes the file (a later append opens it again). */
  async close(): Promise<void> {
    await this.#chain;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #load(file: string): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const { payloads, wholeBytes } = readFrames(bytes);
    if (wholeBytes < bytes.length) await truncate(file, wholeBytes);
    this.frames.push(...payloads);
  }
}

/** Writes every byte (a write to a regular file may in principle be partial). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
