import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the crypto package rejects. */
export const CryptoErrorCode = {
  InvalidPrivateKey: 'ERR_CRYPTO_INVALID_PRIVATE_KEY',
  InvalidPublicKey: 'ERR_CRYPTO_INVALID_PUBLIC_KEY',
  InvalidSignature: 'ERR_CRYPTO_INVALID_SIGNATURE',
  InvalidLength: 'ERR_CRYPTO_INVALID_LENGTH',
  BadMac: 'ERR_CRYPTO_BAD_MAC',
  DecryptFailed: 'ERR_CRYPTO_DECRYPT_FAILED',
  InvalidKeystore: 'ERR_CRYPTO_INVALID_KEYSTORE',
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
