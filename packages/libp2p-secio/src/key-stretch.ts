import { utf8ToBytes } from '@status-ts/core';
import { hmacSha256, hmacSha512 } from '@status-ts/crypto';
import type { CipherName, HashName } from './constants.js';
import { MAC_KEY_LENGTH } from './constants.js';

/** One direction's keys: AES-CTR initial counter block, AES key, HMAC key. */
export interface DirectionKeys {
  readonly iv: Uint8Array;
  readonly cipherKey: Uint8Array;
  readonly macKey: Uint8Array;
}

export const CIPHER_KEY_LENGTH: Readonly<Record<CipherName, number>> = { 'AES-128': 16, 'AES-256': 32 };
/** HMAC of the concatenation of `parts` under `key` (@status-ts/crypto: OpenSSL on Node, noble elsewhere). */
export type HmacFunction = (key: Uint8Array, ...parts: Uint8Array[]) => Uint8Array;
export const HMAC: Readonly<Record<HashName, HmacFunction>> = { SHA256: hmacSha256, SHA512: hmacSha512 };
export const HASH_LENGTH: Readonly<Record<HashName, number>> = { SHA256: 32, SHA512: 64 };

const IV_LENGTH = 16;
const SEED = utf8ToBytes('key expansion');

/**
 * The secio key stretcher (the TLS 1.0 PRF shape with one hash): A(0) = HMAC(secret, seed),
 * output blocks HMAC(secret, A(i) || seed), A(i+1) = HMAC(secret, A(i)), until 2 × (iv + key + mac)
 * bytes exist. The first half is k1, the second k2; the handshake order decides which one is ours.
 */
export function stretchKeys(
  cipher: CipherName,
  hash: HashName,
  secret: Uint8Array,
): { k1: DirectionKeys; k2: DirectionKeys } {
  const keyLength = CIPHER_KEY_LENGTH[cipher];
  const half = IV_LENGTH + keyLength + MAC_KEY_LENGTH;
  const out = new Uint8Array(2 * half);
  const hmac = HMAC[hash];
  const mac = (...parts: Uint8Array[]): Uint8Array => hmac(secret, ...parts);
  let a = mac(SEED);
  for (let filled = 0; filled < out.length; ) {
    const block = mac(a, SEED);
    const take = Math.min(block.length, out.length - filled);
    out.set(block.subarray(0, take), filled);
    filled += take;
    a = mac(a);
  }
  const split = (bytes: Uint8Array): DirectionKeys => ({
    iv: bytes.slice(0, IV_LENGTH),
    cipherKey: bytes.slice(IV_LENGTH, IV_LENGTH + keyLength),
    macKey: bytes.slice(IV_LENGTH + keyLength, half),
  });
  return { k1: split(out.subarray(0, half)), k2: split(out.subarray(half)) };
}
