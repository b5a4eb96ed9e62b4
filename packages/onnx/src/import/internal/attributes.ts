import type { onnx as Onnx } from 'onnx-proto';
import { int64 } from '../../internal/proto.js';

/** An INT attribute of a node, or `fallback` when the node does not set it. */
export function intAttribute(node: Onnx.INodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a ? int64(a.i) : fallback;
}

/** A FLOAT attribute of a node, or `fallback` when the node does not set it. */
export function floatAttribute(node: Onnx.INodeProto, name: string, fallback: number): number {
  const a = node.attribute?.find((x) => x.name === name);
  return a ? (a.f ?? 0) : fallback;
}

/** Names of the attributes a node sets that are not in `known`. */
export function unknownAttributes(node: Onnx.INodeProto, known: readonly string[]): string[] {
  return (node.attribute ?? []).map((a) => a.name ?? '').filter((n) => !known.includes(n));
}
