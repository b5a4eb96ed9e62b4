import type { PROTOCOL_VERSION } from './TaskMessage.js';

/** Where workers find the black box of a run. */
export type OracleSpec =
  /** A relu-net model file's text, stored as a blob (object store) under this name. */
  | { readonly kind: 'network'; readonly name: string; readonly blob: string }
  /** A remote HTTP oracle (SYSTEM.md), with optional extra headers (API keys). */
  | { readonly kind: 'http'; readonly url: string; readonly headers: readonly { name: string; value: string }[] }
  /** An ONNX model file on the worker's file system. */
  | { readonly kind: 'onnx'; readonly file: string }
  /** The cluster's oracle service, over NATS request/reply (the black box stays in one place). */
  | { readonly kind: 'service'; readonly name?: string };

/** What a run is: written once when it is submitted, read by every worker and on resume. */
export interface RunRecord {
  readonly v: typeof PROTOCOL_VERSION;
  readonly runId: string;
  /** Human-readable description of the black box. */
  readonly target: string;
  readonly oracle: OracleSpec;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly seed: number;
  /** Query budget of the whole run; null for none. */
  readonly budget: number | null;
  /** Recovery settings (domain scale, options), recorded so a result can be reproduced. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}
