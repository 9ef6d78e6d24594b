import { utf8ToBytes } from '@status-ts/core';
import { aesGcmOpen, aesGcmSeal, GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from './aes-gcm.js';
import { assertByteLength, CryptoError, CryptoErrorCode } from './errors.js';
import { pbkdf2Sha256 } from './hashes.js';
import { randomBytes } from './random.js';

/** Key length of Waku/Status symmetric encryption (AES-256-GCM). */
export const SYMMETRIC_KEY_LENGTH = 32;
/** Smallest `decryptSymmetric` input: empty ciphertext, 16-byte tag, 12-byte nonce. */
export const SYMMETRIC_OVERHEAD = GCM_TAG_LENGTH + GCM_NONCE_LENGTH;
/**
 * PBKDF2 iterations of status-go's "symmetric key from password" (checklist CRY-07). Really 65356, not
 * 65536: a typo in the original code that every Status client must reproduce.
 */
export const SYMMETRIC_KEY_PBKDF2_ITERATIONS = 65356;

/**
 * status-go `EncryptSymmetric` / Waku symmetric payloads (checklist CRY-06): AES-256-GCM with a random
 * 12-byte nonce, no AAD, output `ciphertext || tag(16) || nonce(12)`. A given `nonce` is for reproducing
 * vectors only: never reuse one with a key.
 */
export function encryptSymmetric(
  key32: Uint8Array,
  plaintext: Uint8Array,
  nonce: Uint8Array = randomBytes(GCM_NONCE_LENGTH),
): Uint8Array {
  assertByteLength(key32, [SYMMETRIC_KEY_LENGTH], 'symmetric key');
  assertByteLength(nonce, [GCM_NONCE_LENGTH], 'GCM nonce');
  const sealed = aesGcmSeal(key32, nonce, plaintext);
  const out = new Uint8Array(sealed.length + GCM_NONCE_LENGTH);
  out.set(sealed, 0);
  out.set(nonce, sealed.length);
  return out;
}

/** Opens `ciphertext || tag(16) || nonce(12)`; ERR_CRYPTO_DECRYPT_FAILED on a short input or a bad tag. */
export function decryptSymmetric(key32: Uint8Array, data: Uint8Array): Uint8Array {
  assertByteLength(key32, [SYMMETRIC_KEY_LENGTH], 'symmetric key');
  if (!(data instanceof Uint8Array) || data.length < SYMMETRIC_OVERHEAD) {
    throw new CryptoError(
      CryptoErrorCode.DecryptFailed,
      `symmetric payload must be at least ${SYMMETRIC_OVERHEAD} bytes`,
      { details: { length: data?.length, minimum: SYMMETRIC_OVERHEAD } },
    );
  }
  const split = data.length - GCM_NONCE_LENGTH;
  return aesGcmOpen(key32, data.subarray(split), data.subarray(0, split));
}

/**
 * status-go `AddSymKeyFromPassword` / public-chat keys (checklist CRY-07):
 * PBKDF2-HMAC-SHA256(utf8(password), empty salt, 65356 iterations, 32 bytes).
 */
export function symmetricKeyFromPassword(password: string): Uint8Array {
  return pbkdf2Sha256(
    utf8ToBytes(password),
    new Uint8Array(0),
    SYMMETRIC_KEY_PBKDF2_ITERATIONS,
    SYMMETRIC_KEY_LENGTH,
  );
}
