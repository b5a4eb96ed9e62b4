import { createNetworkOracle, connectHttpOracle, OracleRequestError, type HeaderOption, type Oracle } from '@relurec/oracle';
import { loadNetwork } from '@relurec/network';
import { CliUsageError } from '../cli/CliUsageError.js';

/** Kinds of black box the CLI can open. */
export const SourceKind = { target: 'target', oracle: 'oracle', onnx: 'onnx' } as const;
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

/** Where the black box is: a relu-net file, a remote HTTP oracle, or an ONNX model. */
export type OracleSource =
  | { readonly kind: typeof SourceKind.target; readonly file: string }
  | { readonly kind: typeof SourceKind.onnx; readonly file: string }
  | { readonly kind: typeof SourceKind.oracle; readonly url: string; readonly headers: readonly HeaderOption[] };

/**
 * Opens the black box. A relu-net file becomes a local oracle (the network is not reachable through
 * it); an ONNX model an onnxruntime session; a URL an HTTP client that retries with backoff.
 * @throws NetworkFormatError / OnnxModelError naming the file; CliUsageError when the URL is bad or the oracle cannot be reached
 */
export async function openOracleSource(source: OracleSource): Promise<Oracle> {
  switch (source.kind) {
    case SourceKind.target:
      return createNetworkOracle(await loadNetwork(source.file));
    case SourceKind.onnx: {
      const { openOnnxOracle } = await import('@relurec/onnx');
      return openOnnxOracle(source.file);
    }
    case SourceKind.oracle: {
      const headers = Object.fromEntries(source.headers.map((h) => [h.name, h.value]));
      try {
        return await connectHttpOracle(source.url, { headers });
      } catch (cause) {
        if (cause instanceof TypeError) throw new CliUsageError(`--oracle: ${cause.message}`, '--oracle', { cause });
        if (cause instanceof OracleRequestError) {
          throw new CliUsageError(`cannot use the oracle at ${publicUrl(source.url)}: ${cause.message}`, '--oracle', { cause });
        }
        throw cause;
      }
    }
  }
}

/** A one-line description for summaries and meta, e.g. `oracle http://host:8080/v1`. */
export function describeSource(source: OracleSource): string {
  return source.kind === SourceKind.oracle ? `oracle ${publicUrl(source.url)}` : `${source.kind} ${source.file}`;
}

/** The URL without credentials, query string or fragment: some APIs take a key there, and meta must not keep it. */
export function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}
