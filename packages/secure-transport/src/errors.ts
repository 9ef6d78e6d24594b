import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the secure-transport package rejects. */
export const SecureTransportErrorCode = {
  /** The bytes are not a well-formed `ProtocolMessage` (protobuf error, bad key or header length). */
  BadMessage: 'ERR_ST_BAD_MESSAGE',
  /** An encoded message is larger than the configured maximum (checked before decoding). */
  MessageTooLarge: 'ERR_ST_MESSAGE_TOO_LARGE',
  /** A bundle is malformed or its signature does not recover to its identity key. */
  BadBundle: 'ERR_ST_BAD_BUNDLE',
  /** A public key is not a valid secp256k1 point. */
  BadKey: 'ERR_ST_BAD_KEY',
  /** The HMAC of a ratchet or DH message does not verify (tampered, wrong key, truncated). */
  DecryptFailed: 'ERR_ST_DECRYPT_FAILED',
  /** A message would need more skipped message keys than the limit allows. */
  TooManySkipped: 'ERR_ST_TOO_MANY_SKIPPED',
  /** A message is older than the receiving chain and its key is no longer stored (or never was). */
  MessageKeyGone: 'ERR_ST_MESSAGE_KEY_GONE',
  /** The message has no entry for our installation (nor a `"none"` entry): answer with our bundle (ST-12). */
  NotForThisDevice: 'ERR_ST_NOT_FOR_THIS_DEVICE',
  /** No session or signed prekey matches the message's headers. */
  SessionNotFound: 'ERR_ST_SESSION_NOT_FOUND',
  /** The at-rest key does not open the store's secrets (wrong key, or a tampered or moved field). */
  StoreKey: 'ERR_ST_STORE_KEY',
  /** A caller passed a value outside its allowed range (key length, option). */
  InvalidArgument: 'ERR_ST_INVALID_ARGUMENT',
} as const;

export type SecureTransportErrorCode =
  (typeof SecureTransportErrorCode)[keyof typeof SecureTransportErrorCode];

export class SecureTransportError extends StatusTsError {
  constructor(
    code: SecureTransportErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'SecureTransportError';
  }
}
