import { utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { base32Decode, base32DecodedLength, base32Encode } from './base32.js';
import { HASH_ABBREV_BYTES, MAX_HASH_BYTES, MIN_HASH_BYTES } from './constants.js';

/** The name of an entry: base32 of the first 16 bytes of keccak256(text), 26 characters (DNS-03). */
export function entryHash(text: string): string {
  return base32Encode(keccak256(utf8ToBytes(text)).subarray(0, HASH_ABBREV_BYTES));
}

/** Decodes a child hash: base32 of 12 to 32 bytes, as go-ethereum accepts; undefined when invalid. */
export function decodeHash(hash: string): Uint8Array | undefined {
  const length = base32DecodedLength(hash.length);
  if (length < MIN_HASH_BYTES || length > MAX_HASH_BYTES) return undefined;
  try {
    return base32Decode(hash, { strict: false });
  } catch {
    // base32Decode throws only its typed error: not a hash.
  }
  return undefined;
}

export function isValidHash(hash: string): boolean {
  return decodeHash(hash) !== undefined;
}

/** True when keccak256(text) starts with the bytes `hash` names (names may be shortened to 12 bytes). */
export function hashMatches(hash: string, text: string): boolean {
  const want = decodeHash(hash);
  if (want === undefined) return false;
  const got = keccak256(utf8ToBytes(text));
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return false;
  return true;
}
