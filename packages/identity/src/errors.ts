import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the identity package rejects. */
export const IdentityErrorCode = {
  InvalidMnemonic: 'ERR_IDENTITY_INVALID_MNEMONIC',
  InvalidEntropy: 'ERR_IDENTITY_INVALID_ENTROPY',
  InvalidSeed: 'ERR_IDENTITY_INVALID_SEED',
  InvalidPath: 'ERR_IDENTITY_INVALID_PATH',
  InvalidAddress: 'ERR_IDENTITY_INVALID_ADDRESS',
  InvalidKeyText: 'ERR_IDENTITY_INVALID_KEY_TEXT',
  UnsupportedKeyType: 'ERR_IDENTITY_UNSUPPORTED_KEY_TYPE',
  InvalidTypedData: 'ERR_IDENTITY_INVALID_TYPED_DATA',
  InvalidExtendedKey: 'ERR_IDENTITY_INVALID_EXTENDED_KEY',
} as const;

export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

export class IdentityError extends StatusTsError {
  constructor(
    code: IdentityErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'IdentityError';
  }
}
