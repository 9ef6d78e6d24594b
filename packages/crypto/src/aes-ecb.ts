import { unsafe as aesInternals } from '@noble/ciphers/aes.js';
import { AES_BLOCK_SIZE, AES_KEY_LENGTHS } from './aes-ctr.js';
import { assertByteLength } from './errors.js';

/** Encrypts one 16-byte block with a fixed key; returns a new array. */
export type AesBlockEncryptor = (block: Uint8Array) => Uint8Array;

/**
 * Single-block AES encryption (ECB of one block) with the key schedule expanded once and reused: the RLPx
 * MAC runs it twice per frame. Always noble: measured faster than a node:crypto ECB cipher for one block
 * (node pays a native call and a Buffer per block; see the benchmark).
 */
export function createAesEcbEncryptor(key: Uint8Array): AesBlockEncryptor {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  const xk = aesInternals.expandKeyLE(key);
  return (block: Uint8Array): Uint8Array => {
    assertByteLength(block, [AES_BLOCK_SIZE], 'AES block');
    const out = new Uint8Array(block); // aligned copy; noble encrypts it in place
    aesInternals.encryptBlock(xk, out);
    return out;
  };
}
