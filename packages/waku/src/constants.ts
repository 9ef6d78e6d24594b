/**
 * Protocol constants and node defaults (status-go `waku/common/const.go`, Status usage spec, checklist
 * WAKU-*). Every limit here is a default that a `WakuNode` option overrides.
 */

/** Expiry (4) + TTL (4) + topic (4) + nonce (8): the size status-go adds to `len(data)` for limits and sealing. */
export const ENVELOPE_HEADER_LENGTH = 20;
export const TOPIC_LENGTH = 4;
export const BLOOM_SIZE = 64;
export const SIGNATURE_LENGTH = 65;
/** Payload plaintexts are padded to a multiple of this (WAKU-20). */
export const PADDING_BLOCK_SIZE = 256;
/** Payload size fields of 1-3 bytes: payloads stay below 2^24 bytes. */
export const MAX_PAYLOAD_LENGTH = 2 ** 24 - 1;

/** Largest envelope (`20 + len(data)`) a node accepts by default (WAKU-13). */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
/** Absolute cap on the envelope size option (status-go MaxMessageSize). */
export const MAX_MESSAGE_SIZE_CAP = 10 * 1024 * 1024;
/** Largest incoming packet accepted before decoding (spec 1.5 MiB); bigger packets disconnect the peer. */
export const DEFAULT_MAX_PACKET_SIZE = 1.5 * 1024 * 1024;
/** Largest Messages packet we build: status-go disconnects peers whose packets exceed its 1 MiB limit. */
export const DEFAULT_MAX_OUTGOING_PACKET_SIZE = 1024 * 1024;

/** Seconds of clock skew tolerated (status-go DefaultSyncAllowance). */
export const DEFAULT_SYNC_ALLOWANCE = 10;
/** Relay batch period (status-go transmissionCycle). */
export const TRANSMISSION_CYCLE_MS = 300;
/** Pool expiry sweep period (status-go expirationCycle). */
export const EXPIRATION_CYCLE_MS = 1000;
/** How long a peer has to send its Status (WAKU-03). */
export const DEFAULT_STATUS_TIMEOUT_MS = 10_000;
/** Longest topic-interest list accepted or advertised (status-go rejects more than 10000). */
export const MAX_TOPIC_INTEREST = 10_000;
/** Messages buffered per filter for a slow consumer (status-go messageQueueLimit). */
export const DEFAULT_FILTER_QUEUE_LIMIT = 1024;
/** Envelope hashes a filter remembers to deliver each envelope once. */
export const DEFAULT_FILTER_DEDUP_SIZE = 10_000;
/**
 * Envelopes held in the pool at most. When full, a newcomer evicts the entries of lowest PoW (our own are never
 * evicted for a peer's) and is refused only when it is worth no more than the least valuable one.
 */
export const DEFAULT_MAX_POOL_SIZE = 100_000;
/**
 * Envelopes queued for relay to one peer at most; beyond it the oldest queued are skipped (`relayQueueFull`).
 * A peer that cannot take this many within a few relay cycles is too slow to relay to in full, and a queue
 * without a bound would keep evicted and expired envelopes alive past the pool's caps.
 */
export const DEFAULT_MAX_RELAY_QUEUE = 10_000;
/** Encoded bytes held in the pool at most (status-go has no cap: long TTLs need little PoW). */
export const DEFAULT_MAX_POOL_BYTES = 256 * 1024 * 1024;
/**
 * Share of the pool (of both caps) one peer's envelopes may hold: 1/8, so at least eight peers are needed to
 * fill it. A peer at its share replaces its own least valuable envelopes or is refused. An honest peer stays
 * far below it: 12,500 envelopes of TTL 15 s need a sustained 800 envelopes/s from that one peer.
 */
export const DEFAULT_MAX_POOL_SHARE_PER_PEER = 1 / 8;
/**
 * Longest TTL (seconds) accepted from peers or posted: 10 minutes. Status sends chat messages with TTL 10-15 s
 * (status-go whisperTTL 15), mailserver requests with 50 s, and status-go's largest default (WakuTTL) is 120 s;
 * 600 s leaves five times that, while a cheap envelope (its PoW divides by the TTL, so a TTL of 10^6 s needs
 * only a few bits) now occupies the pool for minutes instead of days. status-go has no such cap.
 */
export const DEFAULT_MAX_TTL = 600;

/** Status sender PoW for payloads of at most LARGE_PAYLOAD_THRESHOLD bytes (waku-usage, WAKU-11). */
export const STATUS_POW_TARGET = 0.002;
/** Status sender PoW for payloads above LARGE_PAYLOAD_THRESHOLD bytes (status-go whisperLargeSizePoW). */
export const STATUS_POW_TARGET_LARGE = 0.000002;
/** Payload bytes above which the large-payload target applies (status-go largeSizeInBytes, `len > 50000`). */
export const LARGE_PAYLOAD_THRESHOLD = 50_000;
/**
 * The minimum PoW a Status node requires (and advertises): never above the sender targets, so the lower
 * one, as statusd advertises it.
 */
export const STATUS_MIN_POW = STATUS_POW_TARGET_LARGE;
/** TTL of chat messages in seconds (waku-usage: not lower than 10). */
export const STATUS_TTL = 10;
/** Time a seal may spend searching a nonce (status-protocol-go uses 5 s). */
export const DEFAULT_POW_TIME_MS = 5_000;

/** PoW assumed for a waku/1 peer that omits it in its Status (WAKU-04). */
export const WAKU_DEFAULT_PEER_POW = 0.001;

/** Incoming rate limits (status-go defaultPeerRateLimiterConfig, WAKU-17): 0 means unlimited. */
export const DEFAULT_PACKET_LIMIT_PER_IP = 10;
export const DEFAULT_PACKET_LIMIT_PER_PEER = 5;
export const DEFAULT_BYTES_LIMIT_PER_IP = 1024 * 1024;
export const DEFAULT_BYTES_LIMIT_PER_PEER = 1024 * 1024;
/**
 * Envelopes accepted per second per peer, with a burst of one second's worth (not in status-go, whose limits
 * count packets and bytes only, so 6 packets carried 110,000 envelopes). The bytes limit already caps honest
 * Status traffic near 3,500 envelopes/s (its smallest envelope, a 256-byte padded payload, is about 300
 * bytes) and a relayer receives each envelope once per link: 1000/s leaves a busy fleet's traffic room,
 * while tiny attack envelopes drop from about 26,000/s (what 1 MiB/s allows) to 1000/s.
 */
export const DEFAULT_ENVELOPE_LIMIT_PER_PEER = 1000;
/** Envelopes per second per IP: twice the per-peer limit, as status-go's packet limits are (10 vs 5). */
export const DEFAULT_ENVELOPE_LIMIT_PER_IP = 2000;
/** Rate-limited packets tolerated per tolerance window before the peer is disconnected. */
export const DEFAULT_RATE_LIMIT_TOLERANCE = 10;
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 10_000;

/** Confirmation error codes we send (WAKU-16): 1 = time sync (spec), 2 = anything else. */
export const ENVELOPE_ERROR_TIME_SYNC = 1;
export const ENVELOPE_ERROR_OTHER = 2;
/** Sent batches remembered for confirmations. */
export const PENDING_BATCH_TTL_MS = 60_000;
