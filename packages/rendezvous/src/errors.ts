import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the rendezvous package rejects or fails at. */
export const RendezvousErrorCode = {
  /** A body that is valid RLP but not the message's shape (wrong item kinds, counts, integer widths). */
  Malformed: 'ERR_RENDEZVOUS_MALFORMED',
  /** Bytes on a stream that are not canonical RLP, so the stream cannot be read further. */
  BadFraming: 'ERR_RENDEZVOUS_BAD_FRAMING',
  /** A framed item larger than the reader's limit. */
  MessageTooLarge: 'ERR_RENDEZVOUS_MESSAGE_TOO_LARGE',
  /** A message type this implementation does not know, or not the one expected. */
  UnexpectedType: 'ERR_RENDEZVOUS_UNEXPECTED_TYPE',
  /** The stream ended in the middle of a message, or before an expected answer. */
  UnexpectedEof: 'ERR_RENDEZVOUS_UNEXPECTED_EOF',
  /** A namespace that is empty, longer than 50 bytes, contains 0xff or is not UTF-8. */
  InvalidNamespace: 'ERR_RENDEZVOUS_INVALID_NAMESPACE',
  /** An ENR that does not decode or whose signature does not verify. */
  InvalidEnr: 'ERR_RENDEZVOUS_INVALID_ENR',
  /** A TTL outside the accepted bounds. */
  InvalidTtl: 'ERR_RENDEZVOUS_INVALID_TTL',
  /** A DISCOVER limit outside the accepted bounds. */
  InvalidLimit: 'ERR_RENDEZVOUS_INVALID_LIMIT',
  /** The server answered with a non-OK status; `details.status` holds it. */
  RequestFailed: 'ERR_RENDEZVOUS_REQUEST_FAILED',
  /** A server address this transport cannot parse. */
  InvalidAddress: 'ERR_RENDEZVOUS_INVALID_ADDRESS',
  /** A private key of the wrong size for a libp2p secp256k1 identity. */
  InvalidKey: 'ERR_RENDEZVOUS_INVALID_KEY',
  /** The client or registrar was given no servers. */
  NoServers: 'ERR_RENDEZVOUS_NO_SERVERS',
  /** A constructor option outside its allowed range; `details.option` names it. */
  InvalidOptions: 'ERR_RENDEZVOUS_INVALID_OPTIONS',
  /** The stream was reset by the peer or closed under us. */
  StreamReset: 'ERR_RENDEZVOUS_STREAM_RESET',
} as const;
export type RendezvousErrorCode = (typeof RendezvousErrorCode)[keyof typeof RendezvousErrorCode];

/** Errors of the rendezvous package. */
export class RendezvousError extends StatusTsError {
  constructor(
    code: RendezvousErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'RendezvousError';
  }
}
