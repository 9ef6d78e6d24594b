import {
  DEFAULT_DISCONNECT_GRACE_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_MAX_HANDSHAKE_SIZE,
  DEFAULT_MAX_HELLO_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_RECEIVE_QUEUE_LIMIT,
  DEFAULT_WRITE_BUFFER_LIMIT,
} from '../constants.js';

/** Per-connection limits and timings; every field has a default in constants.ts. */
export interface PeerLimits {
  /** Largest auth/ack message (EIP-8 size prefix), default 2048. */
  maxHandshakeSize: number;
  /** Encryption handshake plus Hello exchange, default 5 s. */
  handshakeTimeoutMs: number;
  /** Largest frame accepted, default 2^24 - 1. */
  maxFrameSize: number;
  /** Largest decompressed message a snappy body may declare, default 16 MiB. */
  maxMessageSize: number;
  /** Largest Hello accepted, default 2048. */
  maxHelloSize: number;
  /** Ping interval, default 15 s. */
  pingIntervalMs: number;
  /** Disconnect (0x0b) a peer silent for this long, default 30 s. */
  readTimeoutMs: number;
  /** Destroy the socket at the latest this long after sending Disconnect, default 2 s. */
  disconnectGraceMs: number;
  /**
   * `send` waits for 'drain' while more than this many bytes are buffered (and the socket's own
   * highWaterMark is exceeded too), default 1 MiB.
   */
  writeBufferLimit: number;
  /** Messages queued per capability before the socket stops reading, default 1024. */
  receiveQueueLimit: number;
}

export const DEFAULT_PEER_LIMITS: Readonly<PeerLimits> = Object.freeze({
  maxHandshakeSize: DEFAULT_MAX_HANDSHAKE_SIZE,
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE,
  maxHelloSize: DEFAULT_MAX_HELLO_SIZE,
  pingIntervalMs: DEFAULT_PING_INTERVAL_MS,
  readTimeoutMs: DEFAULT_READ_TIMEOUT_MS,
  disconnectGraceMs: DEFAULT_DISCONNECT_GRACE_MS,
  writeBufferLimit: DEFAULT_WRITE_BUFFER_LIMIT,
  receiveQueueLimit: DEFAULT_RECEIVE_QUEUE_LIMIT,
});

/** Defaults with `overrides` applied (undefined fields keep their default). */
export function resolveLimits(overrides: Partial<PeerLimits> = {}): PeerLimits {
  const out = { ...DEFAULT_PEER_LIMITS };
  for (const key of Object.keys(out) as (keyof PeerLimits)[]) {
    const value = overrides[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
