import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the payloads package rejects. */
export const PayloadErrorCode = {
  /** The bytes are not a well-formed protobuf message of the expected type. */
  Malformed: 'ERR_PAYLOAD_MALFORMED',
  /** Input larger than the limit for its kind (checked before decoding where possible). */
  TooLarge: 'ERR_PAYLOAD_TOO_LARGE',
  /** A field holds a value the protocol does not allow (empty required field, bad key, bad chat id). */
  InvalidField: 'ERR_PAYLOAD_INVALID_FIELD',
  /** A signature does not have the 65-byte r‖s‖v form or does not recover to a public key. */
  BadSignature: 'ERR_PAYLOAD_BAD_SIGNATURE',
  /** A message needs a signature (to know its author) and has none. */
  Unsigned: 'ERR_PAYLOAD_UNSIGNED',
  /** An encrypted payload does not open with the key it should (wrong key, or tampered). */
  DecryptionFailed: 'ERR_PAYLOAD_DECRYPTION_FAILED',
  /** A caller passed a value outside its allowed range. */
  InvalidArgument: 'ERR_PAYLOAD_INVALID_ARGUMENT',
} as const;

export type PayloadErrorCode = (typeof PayloadErrorCode)[keyof typeof PayloadErrorCode];

export class PayloadError extends StatusTsError {
  constructor(
    code: PayloadErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'PayloadError';
  }
}
