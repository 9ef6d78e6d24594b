import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the crypto package rejects. */
export const CryptoErrorCode = {
  InvalidPrivateKey: 'ERR_CRYPTO_INVALID_PRIVATE_KEY',
  InvalidPublicKey: 'ERR_CRYPTO_INVALID_PUBLIC_KEY',
  InvalidSignature: 'ERR_CRYPTO_INVALID_SIGNATURE',
  /** A key, IV, nonce, hash or ciphertext has the wrong size. */
  InvalidLength: 'ERR_CRYPTO_INVALID_LENGTH',
  /** A parameter outside its allowed range (KDF cost, output length, iteration count). */
  InvalidArgument: 'ERR_CRYPTO_INVALID_ARGUMENT',
  /** ECIES or keystore MAC mismatch: wrong key, wrong password or tampered data. */
  BadMac: 'ERR_CRYPTO_BAD_MAC',
  /** AEAD (AES-GCM) authentication failed or the sealed data is malformed. */
  DecryptFailed: 'ERR_CRYPTO_DECRYPT_FAILED',
  InvalidKeystore: 'ERR_CRYPTO_INVALID_KEYSTORE',
  /** A keystore asks for more KDF work or memory than the configured limits allow. */
  KeystoreLimitExceeded: 'ERR_CRYPTO_KEYSTORE_LIMIT',
} as const;

export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends StatusTsError {
  constructor(
    code: CryptoErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'CryptoError';
  }
}

/**
 * Throws ERR_CRYPTO_INVALID_LENGTH unless `bytes` is a Uint8Array whose length is one of `allowed`;
 * `details.what` names the input (`'AES-CTR IV'`), so a caller with several byte inputs knows which one.
 */
export function assertByteLength(bytes: Uint8Array, allowed: readonly number[], what: string): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new CryptoError(CryptoErrorCode.InvalidLength, `${what} must be a Uint8Array`, {
      details: { what },
    });
  }
  if (!allowed.includes(bytes.length)) {
    throw new CryptoError(
      CryptoErrorCode.InvalidLength,
      `${what} must be ${allowed.join(' or ')} bytes, got ${bytes.length}`,
      { details: { what, expected: allowed, actual: bytes.length } },
    );
  }
}
