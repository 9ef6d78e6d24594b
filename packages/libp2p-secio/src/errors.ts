import { StatusTsError } from '@status-ts/core';

/** Stable codes for every way a secio handshake or secured stream fails. */
export const SecioErrorCode = {
  /** A Propose or Exchange message that is not valid protobuf or misses a required field. */
  BadMessage: 'ERR_SECIO_BAD_MESSAGE',
  /** A handshake message longer than `maxHandshakeMessageLength`. */
  HandshakeMessageTooLarge: 'ERR_SECIO_HANDSHAKE_TOO_LARGE',
  /** A data frame longer than `maxFrameLength` (announced by the peer, or about to be sent). */
  FrameTooLarge: 'ERR_SECIO_FRAME_TOO_LARGE',
  /** The stream ended in the middle of a length prefix, handshake message or frame. */
  Truncated: 'ERR_SECIO_TRUNCATED',
  /** The peer's identity key is of an unknown type or does not decode. */
  BadPublicKey: 'ERR_SECIO_BAD_PUBLIC_KEY',
  /** The peer's ephemeral ECDH key is not a point on the selected curve. */
  BadEphemeralKey: 'ERR_SECIO_BAD_EPHEMERAL_KEY',
  /** The Exchange signature does not verify against the peer's identity key. */
  BadSignature: 'ERR_SECIO_BAD_SIGNATURE',
  /** No exchange, cipher or hash in common with the peer. */
  NoCommonAlgorithm: 'ERR_SECIO_NO_COMMON_ALGORITHM',
  /** Both proposals hash to the same order value: the connection loops back to ourselves. */
  TalkingToSelf: 'ERR_SECIO_TALKING_TO_SELF',
  /** The peer's identity is not the peer we dialled. */
  UnexpectedPeer: 'ERR_SECIO_UNEXPECTED_PEER',
  /** A frame whose HMAC does not match its ciphertext. */
  BadMac: 'ERR_SECIO_BAD_MAC',
  /** The first encrypted frame is not the nonce we proposed. */
  BadNonce: 'ERR_SECIO_BAD_NONCE',
  /** Options that cannot work (empty algorithm lists, unknown names, limits out of range). */
  InvalidOptions: 'ERR_SECIO_INVALID_OPTIONS',
} as const;
export type SecioErrorCode = (typeof SecioErrorCode)[keyof typeof SecioErrorCode];

/** The one error type this package throws on purpose; branch on `code`. */
export class SecioError extends StatusTsError {
  constructor(
    code: SecioErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'SecioError';
  }
}
