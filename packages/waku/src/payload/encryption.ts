import {
  decryptSymmetric,
  eciesDecrypt,
  eciesEncrypt,
  encryptSymmetric,
  GCM_NONCE_LENGTH,
  isValidPublicKey,
  SYMMETRIC_KEY_LENGTH,
} from '@status-ts/crypto';
import { WakuError, WakuErrorCode } from '../errors.js';

/** Throws ERR_WAKU_BAD_KEY unless `key` is a usable 32-byte AES key (status-go also refuses all zeros). */
export function assertSymKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== SYMMETRIC_KEY_LENGTH) {
    throw new WakuError(WakuErrorCode.BadKey, `symmetric key must be ${SYMMETRIC_KEY_LENGTH} bytes`);
  }
  if (key.every((b) => b === 0)) throw new WakuError(WakuErrorCode.BadKey, 'symmetric key is all zeros');
}

export function assertPublicKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || !isValidPublicKey(key)) {
    throw new WakuError(WakuErrorCode.BadKey, 'public key must be a valid secp256k1 point');
  }
}

/**
 * AES-256-GCM as Waku symmetric payloads use it (WAKU-22): `ciphertext || tag(16) || nonce(12)`, random
 * nonce unless one is given (for reproducing vectors only: never reuse a nonce with a key).
 */
export function encryptSymmetricPayload(
  key: Uint8Array,
  plaintext: Uint8Array,
  nonce?: Uint8Array,
): Uint8Array {
  assertSymKey(key);
  if (nonce !== undefined && nonce.length !== GCM_NONCE_LENGTH) {
    throw new WakuError(WakuErrorCode.BadKey, `GCM nonce must be ${GCM_NONCE_LENGTH} bytes`);
  }
  return encryptSymmetric(key, plaintext, nonce);
}

/** Opens a symmetric payload; ERR_WAKU_DECRYPT on a wrong key, a short input or tampering. */
export function decryptSymmetricPayload(key: Uint8Array, data: Uint8Array): Uint8Array {
  assertSymKey(key);
  try {
    return decryptSymmetric(key, data);
  } catch (cause) {
    throw new WakuError(WakuErrorCode.Decrypt, 'symmetric decryption failed', { cause });
  }
}

/** ECIES (go-ethereum crypto/ecies) to a secp256k1 public key (33, 64 or 65 bytes). */
export function encryptAsymmetricPayload(publicKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  assertPublicKey(publicKey);
  return eciesEncrypt(publicKey, plaintext);
}

/** Opens an ECIES payload; ERR_WAKU_DECRYPT on a wrong key, a short input or tampering. */
export function decryptAsymmetricPayload(privateKey: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    return eciesDecrypt(privateKey, data);
  } catch (cause) {
    throw new WakuError(WakuErrorCode.Decrypt, 'asymmetric decryption failed', { cause });
  }
}
