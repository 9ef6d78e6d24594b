import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything discv5 rejects: branch on `err.code`, never on messages. */
export const Discv5ErrorCode = {
  /** A datagram below the minimum packet size (63 bytes, or 87 for message packets). */
  PacketTooSmall: 'ERR_DISCV5_PACKET_TOO_SMALL',
  /** A datagram (received or about to be sent) above the maximum packet size (1280 bytes). */
  PacketTooLarge: 'ERR_DISCV5_PACKET_TOO_LARGE',
  /** The unmasked header does not start with "discv5", or has an unsupported version. */
  BadHeader: 'ERR_DISCV5_BAD_HEADER',
  /** A flag other than 0 (message), 1 (WHOAREYOU) or 2 (handshake). */
  BadFlag: 'ERR_DISCV5_BAD_FLAG',
  /** authdata of the wrong size for its flag, or declared past the end of the packet. */
  BadAuthdata: 'ERR_DISCV5_BAD_AUTHDATA',
  /** AES-GCM authentication of a message failed (wrong or missing session keys, or tampering). */
  DecryptFailed: 'ERR_DISCV5_DECRYPT_FAILED',
  /** A message plaintext that is not `type || rlp([...])` of a known shape. */
  BadMessage: 'ERR_DISCV5_BAD_MESSAGE',
  /** A message type this implementation does not handle (topic messages 0x07.. are not discv5.1 core). */
  UnknownMessage: 'ERR_DISCV5_UNKNOWN_MESSAGE',
  /** A request id longer than 8 bytes. */
  BadRequestId: 'ERR_DISCV5_BAD_REQUEST_ID',
  /** The handshake's id-signature does not verify against the sender's record. */
  BadIdSignature: 'ERR_DISCV5_BAD_ID_SIGNATURE',
  /** A handshake that cannot complete: no challenge was sent, no record known, bad key, wrong node id. */
  BadHandshake: 'ERR_DISCV5_BAD_HANDSHAKE',
  /** A node record that does not decode, verify, or fit (e.g. wrong id or distance in NODES). */
  BadRecord: 'ERR_DISCV5_BAD_RECORD',
  /** A request got no (complete) answer within the request timeout and its retries. */
  Timeout: 'ERR_DISCV5_TIMEOUT',
  /** A target without a usable UDP endpoint (no ip/udp in its record). */
  NoEndpoint: 'ERR_DISCV5_NO_ENDPOINT',
  /** Too many requests are already waiting for answers. */
  TooManyRequests: 'ERR_DISCV5_TOO_MANY_REQUESTS',
  /** The node is not running (not started yet, or stopped while the operation was pending). */
  NotRunning: 'ERR_DISCV5_NOT_RUNNING',
  /** No UDP here: `node:dgram` cannot be loaded (a browser, React Native). */
  NoUdp: 'ERR_DISCV5_NO_UDP',
  /** The transport failed to bind or send. */
  Transport: 'ERR_DISCV5_TRANSPORT',
  /** Invalid options or arguments (bad key, distance, target, limit). */
  InvalidArgument: 'ERR_DISCV5_INVALID_ARGUMENT',
} as const;

export type Discv5ErrorCode = (typeof Discv5ErrorCode)[keyof typeof Discv5ErrorCode];

export class Discv5Error extends StatusTsError {
  declare readonly code: Discv5ErrorCode;

  constructor(
    code: Discv5ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'Discv5Error';
  }
}

/** True when `err` is a Discv5Error, optionally with the given code. */
export function isDiscv5Error(err: unknown, code?: Discv5ErrorCode): err is Discv5Error {
  return err instanceof Discv5Error && (code === undefined || err.code === code);
}
