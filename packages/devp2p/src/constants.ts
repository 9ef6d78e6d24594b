/**
 * Limits and timings of the devp2p layer. Every limit is a named default that options can override
 * (checklist RLPX-08..13, RLPX-15); the values follow go-ethereum where the spec is silent.
 */

/** Largest frame size the 3-byte header can carry (2^24 - 1). */
export const MAX_UINT24 = 0xff_ff_ff;

/** Auth/ack messages above this many bytes (the EIP-8 size prefix) are rejected (go-ethereum's cap). */
export const DEFAULT_MAX_HANDSHAKE_SIZE = 2048;
/** Time allowed for the encryption handshake plus the Hello exchange. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
/** Largest frame (rlp(code) || payload, before padding) accepted from a peer. */
export const DEFAULT_MAX_FRAME_SIZE = MAX_UINT24;
/** Largest decompressed message a snappy body may declare (EIP-706: 16 MiB). */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
/** Largest Hello message accepted (go-ethereum's baseProtocolMaxMsgSize). */
export const DEFAULT_MAX_HELLO_SIZE = 2048;
/** How often a Ping is sent on an idle-or-not connection. */
export const DEFAULT_PING_INTERVAL_MS = 15_000;
/** A peer that sends nothing for this long is disconnected with reason 0x0b (read timeout). */
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
/** After sending Disconnect, the socket is destroyed at the latest this long after (the peer may close first). */
export const DEFAULT_DISCONNECT_GRACE_MS = 2_000;
/** A dial that has not connected by then fails with ERR_P2P_DIAL_TIMEOUT. */
export const DEFAULT_DIAL_TIMEOUT_MS = 15_000;
/** Maximum number of connected peers. */
export const DEFAULT_MAX_PEERS = 50;
/** Connections still in the handshake at most; more are closed at once (go-ethereum's maxPendingPeers). */
export const DEFAULT_MAX_PENDING_PEERS = 50;
/**
 * Handshakes one source address may hold at once (IPv6: one /64); more are closed at once. Small, because
 * an honest node dials us once at a time; a few allow hosts sharing a NAT and a simultaneous redial.
 */
export const DEFAULT_MAX_PENDING_PER_IP = 3;
/**
 * After an accepted inbound connection, further attempts from the same source address within this window
 * are closed at once (go-ethereum's inboundThrottleTime, 30 s).
 */
export const DEFAULT_INBOUND_THROTTLE_MS = 30_000;
/** Like go-ethereum's DialRatio: at most maxPeers / 3 peers are dialed, the rest of the slots are inbound. */
export const DEFAULT_DIAL_RATIO = 3;
/** Static peers are re-dialed after a failure or disconnect, backing off from the first to the last delay. */
export const DEFAULT_STATIC_REDIAL_MIN_MS = 1_000;
export const DEFAULT_STATIC_REDIAL_MAX_MS = 60_000;
/** Bytes buffered in the socket above which `send` waits for the socket to drain. */
export const DEFAULT_WRITE_BUFFER_LIMIT = 1024 * 1024;
/** Messages queued for a capability that does not read fast enough before the socket stops reading. */
export const DEFAULT_RECEIVE_QUEUE_LIMIT = 1024;

/** Base protocol version we announce: 5 enables snappy (EIP-706). */
export const BASE_PROTOCOL_VERSION = 5;
/** Message ids 0x00-0x0f belong to the p2p base protocol; capabilities start at 0x10. */
export const BASE_PROTOCOL_LENGTH = 0x10;
/** Default TCP port of devp2p (the Status fleet listens on 443). */
export const DEFAULT_PORT = 30303;
