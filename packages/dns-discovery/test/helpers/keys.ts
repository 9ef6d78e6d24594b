import { numberToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';

/** A deterministic private key per index (keccak256 of the index and a label). */
export function testKey(index: number, label = 'node'): Uint8Array {
  return keccak256(new TextEncoder().encode(label), numberToBytes(index, 4));
}

/** `count` dialable records with distinct keys and IPv4 addresses. */
export function testEnrs(count: number, label = 'node', extra: Record<string, Uint8Array> = {}): Enr[] {
  return Array.from({ length: count }, (_, i) =>
    Enr.create({
      privateKey: testKey(i, label),
      seq: 1,
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      tcp: 30303,
      udp: 30303,
      entries: extra,
    }),
  );
}
