import { unsafe as aesInternals } from '@noble/ciphers/aes.js';
import { AES_BLOCK_SIZE, AES_KEY_LENGTHS } from './aes-ctr.js';
import { fastNode } from './backend.js';
import { assertByteLength } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';

/** Encrypts one 16-byte block with a fixed key; returns a new array. */
export type AesBlockEncryptor = (block: Uint8Array) => Uint8Array;

/**
 * Single-block AES encryption (ECB of one block) with the key set up once: the RLPx MAC runs it twice
 * per frame. On Node it is one long-lived OpenSSL ECB cipher (ECB keeps no state between blocks, so each
 * 16-byte update returns its block at once): AES-NI, constant time, and independent of the cache. noble's
 * tables (512 KiB) win a micro-benchmark but miss the cache inside a busy process (measured about 3x
 * slower per block in the devp2p pipeline than in isolation). Elsewhere noble runs.
 */
export function createAesEcbEncryptor(key: Uint8Array): AesBlockEncryptor {
  const node = fastNode();
  return node ? createAesEcbEncryptorNode(node, key) : createAesEcbEncryptorNoble(key);
}

export function createAesEcbEncryptorNode(node: NodeCrypto, key: Uint8Array): AesBlockEncryptor {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  // No setAutoPadding(false): padding only applies in final(), which is never called.
  const cipher = node.createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  return (block: Uint8Array): Uint8Array => {
    assertByteLength(block, [AES_BLOCK_SIZE], 'AES block');
    return fromBuffer(cipher.update(block));
  };
}

export function createAesEcbEncryptorNoble(key: Uint8Array): AesBlockEncryptor {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES key');
  const xk = aesInternals.expandKeyLE(key);
  return (block: Uint8Array): Uint8Array => {
    assertByteLength(block, [AES_BLOCK_SIZE], 'AES block');
    const out = new Uint8Array(AES_BLOCK_SIZE);
    out.set(block); // aligned copy; noble encrypts it in place
    aesInternals.encryptBlock(xk, out);
    return out;
  };
}
