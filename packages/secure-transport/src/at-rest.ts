import { utf8ToBytes } from '@status-ts/core';
import {
  aesGcmOpen,
  aesGcmSeal,
  type DecryptKeystoreOptions,
  decryptKeystore,
  type EncryptKeystoreOptions,
  encryptKeystore,
  GCM_NONCE_LENGTH,
  GCM_TAG_LENGTH,
  generatePrivateKey,
  type KeystoreV3,
  randomBytes,
} from '@status-ts/crypto';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';

/** Length of an at-rest encryption key (AES-256). */
export const AT_REST_KEY_LENGTH = 32;
/** Bytes `sealAtRest` adds: a 12-byte random nonce and a 16-byte tag. */
export const AT_REST_OVERHEAD = GCM_NONCE_LENGTH + GCM_TAG_LENGTH;

/** Checks a user-supplied at-rest key (32 bytes); ERR_ST_INVALID_ARGUMENT otherwise. */
export function assertAtRestKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== AT_REST_KEY_LENGTH) {
    throw new SecureTransportError(
      SecureTransportErrorCode.InvalidArgument,
      `at-rest encryption key must be ${AT_REST_KEY_LENGTH} bytes`,
    );
  }
}

/**
 * AES-256-GCM of a stored secret: random nonce || ciphertext || tag. `context` names the row and field
 * (authenticated, not stored), so a sealed value copied to another row or column no longer opens.
 */
export function sealAtRest(key: Uint8Array, plaintext: Uint8Array, context: string): Uint8Array {
  assertAtRestKey(key);
  const nonce = randomBytes(GCM_NONCE_LENGTH);
  const sealed = aesGcmSeal(key, nonce, plaintext, utf8ToBytes(context));
  const out = new Uint8Array(GCM_NONCE_LENGTH + sealed.length);
  out.set(nonce, 0);
  out.set(sealed, GCM_NONCE_LENGTH);
  return out;
}

/** Inverse of `sealAtRest`; a wrong key, context or any altered byte gives ERR_ST_STORE_KEY. */
export function openAtRest(key: Uint8Array, sealed: Uint8Array, context: string): Uint8Array {
  assertAtRestKey(key);
  try {
    if (!(sealed instanceof Uint8Array) || sealed.length < AT_REST_OVERHEAD) throw new Error('too short');
    return aesGcmOpen(
      key,
      sealed.subarray(0, GCM_NONCE_LENGTH),
      sealed.subarray(GCM_NONCE_LENGTH),
      utf8ToBytes(context),
    );
  } catch (cause) {
    throw new SecureTransportError(
      SecureTransportErrorCode.StoreKey,
      'stored secret does not open with this key (wrong key, or the store was altered)',
      { cause, details: { context } },
    );
  }
}

/**
 * A fresh at-rest key, and the same key sealed in a keystore v3 object under `password` (scrypt by
 * default; store `JSON.stringify(keystore)` beside the database). The key is a random secp256k1 scalar
 * so the standard keystore format holds it unchanged.
 */
export function createAtRestKeystore(
  password: string,
  options?: EncryptKeystoreOptions,
): { key: Uint8Array; keystore: KeystoreV3 } {
  const key = generatePrivateKey();
  return { key, keystore: encryptKeystore(key, password, options) };
}

/**
 * The at-rest key from its keystore (object or JSON text). A wrong password is ERR_CRYPTO_BAD_MAC, a
 * malformed or over-costly keystore ERR_CRYPTO_INVALID_KEYSTORE / ERR_CRYPTO_KEYSTORE_LIMIT (CryptoError).
 */
export function openAtRestKeystore(
  keystore: KeystoreV3 | string,
  password: string,
  options?: DecryptKeystoreOptions,
): Uint8Array {
  return decryptKeystore(keystore, password, options);
}
