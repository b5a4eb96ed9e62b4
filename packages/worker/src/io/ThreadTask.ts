import type { HeaderOption } from '@relurec/oracle';

/** How a pool thread reaches the black box (opened once per thread and kept). */
export type ThreadOracle =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'http'; readonly url: string; readonly headers: readonly HeaderOption[] }
  | { readonly kind: 'onnx'; readonly file: string }
  /** The cluster's oracle service over NATS request/reply (connection options of the worker). */
  | { readonly kind: 'nats'; readonly connection: Readonly<Record<string, unknown>>; readonly name: string };

/** What a pool thread runs: one recovery task. */
export interface ThreadTask {
  readonly kind: string;
  readonly input: unknown;
  readonly seed: number;
  /** Rows this task may send; null for no limit. */
  readonly budget: number | null;
  readonly oracle: ThreadOracle;
}
