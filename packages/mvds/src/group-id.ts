import { compareBytes } from '@status-ts/core';
import { COMPRESSED_PUBLIC_KEY_LENGTH, convertPublicKey, keccak256 } from '@status-ts/crypto';

/**
 * Group id of a Status 1:1 chat (status-go `ToOneToOneGroupID`, MVDS-06): Keccak-256 of both compressed
 * public keys, the one with the smaller X coordinate first. Keys may be 33, 64 or 65 bytes.
 */
export function oneToOneGroupId(keyA: Uint8Array, keyB: Uint8Array): Uint8Array {
  const a = convertPublicKey(keyA, 'compressed');
  const b = convertPublicKey(keyB, 'compressed');
  const xA = a.subarray(1, COMPRESSED_PUBLIC_KEY_LENGTH);
  const xB = b.subarray(1, COMPRESSED_PUBLIC_KEY_LENGTH);
  // Go compares X as big integers: equal-length big-endian bytes compare the same way.
  return compareBytes(xA, xB) < 0 ? keccak256(a, b) : keccak256(b, a);
}
