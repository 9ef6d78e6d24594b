import { Discv5Error, Discv5ErrorCode } from '../errors.js';

/**
 * `logdistance(a, b)` of discv5: the bit length of `a XOR b` (0 for equal ids, 256 when the first bit
 * differs). Bucket i of the table holds the nodes at log distance i.
 */
export function logDistance(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length)
    throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'node ids of unequal length');
  // Stryker disable next-line EqualityOperator: one step past the end XORs undefined with undefined (0) and returns 0 as well
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return (a.length - i) * 8 - Math.clz32(x) + 24;
  }
  return 0;
}

/** Orders `a` and `b` by XOR distance to `target`: negative when `a` is closer. */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i]! ^ target[i]!;
    const db = b[i]! ^ target[i]!;
    if (da !== db) return da - db;
  }
  return 0;
}

/**
 * The distances a lookup asks a node for: the log distance from the node to the target, then its
 * neighbours (d+1, d-1, ...), `count` in all, within 1..256 (as go-ethereum's lookupDistances).
 */
export function lookupDistances(target: Uint8Array, nodeId: Uint8Array, count = 3): number[] {
  const d = logDistance(target, nodeId);
  const out = [d];
  for (let i = 1; out.length < count && i <= 256; i++) {
    if (d + i <= 256) out.push(d + i);
    if (out.length < count && d - i > 0) out.push(d - i);
  }
  return out;
}

/**
 * Up to `count` distances beyond `first` (d, d+1, d-1) for a second FINDNODE: at least half below it, closer
 * ones first (a node at distance d-i from the queried node is as far from the target as the queried node,
 * log distance d), then above it (d+i: farther from the target, where the k closest lie in a small network);
 * below takes whatever room above leaves. Answers are capped at 16 records, filled in the order asked.
 */
export function widerDistances(first: readonly number[], count: number): number[] {
  const wanted = Math.max(0, count);
  // At most `wanted` candidates each way: the slices below keep the ones asked for.
  const below: number[] = [];
  const above: number[] = [];
  for (let d = Math.min(...first) - 1; d >= 1 && below.length < wanted; d--) below.push(d);
  for (let d = Math.max(...first) + 1; d <= 256 && above.length < wanted; d++) above.push(d);
  const fromBelow = Math.max(Math.ceil(wanted / 2), wanted - above.length);
  const lower = below.slice(0, fromBelow);
  return [...lower, ...above.slice(0, wanted - lower.length)];
}
