import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything devp2p rejects: branch on `err.code`, never on messages. */
export const Devp2pErrorCode = {
  /** A header or frame MAC did not verify: the stream is corrupt or forged. */
  BadMac: 'ERR_RLPX_BAD_MAC',
  /** An auth/ack message declared more bytes than the handshake size cap. */
  HandshakeTooLarge: 'ERR_RLPX_HANDSHAKE_TOO_LARGE',
  /** An auth/ack message did not decrypt or decode, or carried an invalid key or signature. */
  BadHandshake: 'ERR_RLPX_BAD_HANDSHAKE',
  /** The encryption handshake (or the Hello exchange) did not finish in time. */
  HandshakeTimeout: 'ERR_RLPX_HANDSHAKE_TIMEOUT',
  /** A frame header declared more bytes than the frame size cap (or 2^24 - 1 on send). */
  FrameTooLarge: 'ERR_RLPX_FRAME_TOO_LARGE',
  /** A frame decrypted to something that is not `rlp(code) || payload`. */
  BadFrame: 'ERR_RLPX_BAD_FRAME',
  /** The connection closed before the operation could finish. */
  ConnectionClosed: 'ERR_RLPX_CONNECTION_CLOSED',
  /** A snappy body declared a decompressed length above the limit. */
  SnappyTooLarge: 'ERR_P2P_SNAPPY_TOO_LARGE',
  /** A snappy body is corrupt. */
  BadSnappy: 'ERR_P2P_BAD_SNAPPY',
  /** The Hello message is malformed, too large or carries a wrong identity. */
  BadHello: 'ERR_P2P_BAD_HELLO',
  /** A p2p base-protocol message (Disconnect, Ping, Pong) or a message id is malformed or unknown. */
  BadMessage: 'ERR_P2P_BAD_MESSAGE',
  /** The first message after the encryption handshake was not Hello. */
  ExpectedHello: 'ERR_P2P_EXPECTED_HELLO',
  /** The peer shares no capability with us. */
  NoSharedCapability: 'ERR_P2P_NO_SHARED_CAPABILITY',
  /** The peer sent nothing (not even a Pong) for longer than the read timeout. */
  ReadTimeout: 'ERR_P2P_READ_TIMEOUT',
  /** A capability handler threw or rejected; the peer was disconnected with reason 0x10. */
  CapabilityFailed: 'ERR_P2P_CAPABILITY_FAILED',
  /** A capability sent a code outside its negotiated range, or a payload above the limits. */
  InvalidSend: 'ERR_P2P_INVALID_SEND',
  /** The socket failed (reset, refused, unreachable). */
  SocketError: 'ERR_P2P_SOCKET_ERROR',
  /** A dial did not connect within the dial timeout. */
  DialTimeout: 'ERR_P2P_DIAL_TIMEOUT',
  /** A dial target is not an enode URL, ENR or usable peer address. */
  BadAddress: 'ERR_P2P_BAD_ADDRESS',
  /** The server refused a peer: too many peers, already connected, or itself. */
  PeerRejected: 'ERR_P2P_PEER_REJECTED',
  /** The server is not running (not started, or stopped). */
  NotRunning: 'ERR_P2P_NOT_RUNNING',
  /** Invalid options (bad capability name, length or key). */
  InvalidOptions: 'ERR_P2P_INVALID_OPTIONS',
  /** TCP sockets need Node's `node:net` (absent in browsers and React Native): bring another transport. */
  NoTcp: 'ERR_P2P_NO_TCP',
} as const;

export type Devp2pErrorCode = (typeof Devp2pErrorCode)[keyof typeof Devp2pErrorCode];

export class Devp2pError extends StatusTsError {
  declare readonly code: Devp2pErrorCode;

  constructor(
    code: Devp2pErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'Devp2pError';
  }
}

/** True when `err` is a Devp2pError, optionally with the given code. */
export function isDevp2pError(err: unknown, code?: Devp2pErrorCode): err is Devp2pError {
  return err instanceof Devp2pError && (code === undefined || err.code === code);
}
