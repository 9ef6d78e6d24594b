import { gcm } from '@noble/ciphers/aes.js';
import { concatBytes } from '@status-ts/core';
import { AES_KEY_LENGTHS } from './aes-ctr.js';
import { fastNode } from './backend.js';
import { assertByteLength, CryptoError, CryptoErrorCode } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';

export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

/** The OpenSSL name for the key size (the cast only narrows the template type for node's overloads). */
function gcmAlgorithm(key: Uint8Array): 'aes-256-gcm' {
  return `aes-${key.length * 8}-gcm` as 'aes-256-gcm';
}

function checkKeyAndNonce(key: Uint8Array, nonce: Uint8Array): void {
  assertByteLength(key, AES_KEY_LENGTHS, 'AES-GCM key');
  assertByteLength(nonce, [GCM_NONCE_LENGTH], 'AES-GCM nonce');
}

/** AES-GCM encryption (16/24/32-byte key, 12-byte nonce, optional AAD); returns `ciphertext || tag(16)`. */
export function aesGcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  checkKeyAndNonce(key, nonce);
  const node = fastNode();
  return node ? sealNode(node, key, nonce, plaintext, aad) : sealNoble(key, nonce, plaintext, aad);
}

/** Opens `ciphertext || tag(16)`; throws ERR_CRYPTO_DECRYPT_FAILED on any authentication failure. */
export function aesGcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  checkKeyAndNonce(key, nonce);
  if (!(sealed instanceof Uint8Array) || sealed.length < GCM_TAG_LENGTH) {
    throw new CryptoError(CryptoErrorCode.DecryptFailed, 'AES-GCM input shorter than its 16-byte tag', {
      details: { length: sealed?.length },
    });
  }
  const node = fastNode();
  return node ? openNode(node, key, nonce, sealed, aad) : openNoble(key, nonce, sealed, aad);
}

export function sealNoble(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  return gcm(key, nonce, aad).encrypt(plaintext);
}

export function openNoble(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  try {
    return gcm(key, nonce, aad).decrypt(sealed);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.DecryptFailed, 'AES-GCM authentication failed', { cause });
  }
}

export function sealNode(
  node: NodeCrypto,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  // Stryker disable next-line ObjectLiteral: 16 bytes is also node's default GCM tag length; stated for the reader
  const cipher = node.createCipheriv(gcmAlgorithm(key), key, nonce, { authTagLength: GCM_TAG_LENGTH });
  if (aad !== undefined) cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const last = cipher.final();
  return concatBytes(body, last, cipher.getAuthTag());
}

export function openNode(
  node: NodeCrypto,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  const split = sealed.length - GCM_TAG_LENGTH;
  try {
    // Stryker disable next-line ObjectLiteral: the tag given to setAuthTag below is always exactly 16 bytes
    const decipher = node.createDecipheriv(gcmAlgorithm(key), key, nonce, {
      authTagLength: GCM_TAG_LENGTH,
    });
    decipher.setAuthTag(sealed.subarray(split));
    if (aad !== undefined) decipher.setAAD(aad);
    const body = decipher.update(sealed.subarray(0, split));
    // Throws when the tag does not verify; GCM is a stream mode, so final() returns no further bytes.
    decipher.final();
    return fromBuffer(body);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.DecryptFailed, 'AES-GCM authentication failed', { cause });
  }
}
