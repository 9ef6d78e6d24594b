/** Password of the mailserver symmetric key (status-go `MailServerPassword`), PBKDF2 as Waku keys. */
export const MAILSERVER_PASSWORD = 'status-offline-inbox';
/** Widest time window one request may cover (the spec's 24 h), seconds. */
export const DEFAULT_MAX_WINDOW_SECONDS = 24 * 60 * 60;
/**
 * Request shapes the window limit applies to: `raw` (the raw-bytes payload) or `all`. status-go checks its
 * 24 h `maxQueryRange` only when it decodes a raw payload; MessagesRequest and RLP payloads of any span are
 * served (the page limit and cursor bound what one answer costs).
 */
export const DEFAULT_WINDOW_LIMIT_APPLIES_TO = 'raw';
/** Page limit used when a request says 0, and the largest one accepted (status-go). */
export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 1000;
/** `upper = 0` means now plus this many seconds (status-go). */
export const UPPER_ZERO_ALLOWANCE_SECONDS = 60;
/** A P2P Message batch carries envelopes whose RLP adds up to less than this (under the 1 MiB packet cap). */
export const DEFAULT_MAX_BATCH_BYTES = 1_000_000;
/** Envelope bytes one request may return before the server cuts the page short with a cursor. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Largest request packet the server reads. */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
/** Most topics one request may name. */
export const DEFAULT_MAX_REQUEST_TOPICS = 1000;
/**
 * Per-peer request rate: on average one request per this many ms (0 turns the limit off), in bursts of up
 * to {@link DEFAULT_PEER_REQUEST_BURST}. status-go's `MailServerRateLimit` is a strict interval in whole
 * seconds, off unless configured (its tests use 5 s): that would refuse the pages an honest client sends back
 * to back, and the request that follows a round-trip probe. The network's norm is the per-peer packet limit
 * status-go nodes advertise and enforce: 5 packets/s, a second's worth in a burst. MailClient paces under it.
 */
export const DEFAULT_PEER_REQUEST_INTERVAL_MS = 200;
/**
 * Requests a peer may send at once before the interval applies, with the default interval. When
 * `peerRequestIntervalMs` is set explicitly the default burst is 1: a strict minimum interval, as before.
 */
export const DEFAULT_PEER_REQUEST_BURST = 5;
/**
 * Requests of one peer served at once. MailClient asks one page at a time per mailserver; a probe may run
 * beside it.
 */
export const DEFAULT_MAX_PEER_REQUESTS_IN_FLIGHT = 2;
/** Requests served at once, all peers together. */
export const DEFAULT_MAX_REQUESTS_IN_FLIGHT = 64;
/**
 * Envelope bytes one peer's requests may hold (read from the store, not yet taken by the transport), sends
 * that timed out included: a few 1 MB batches.
 */
export const DEFAULT_MAX_PEER_BYTES_IN_FLIGHT = 4 * 1024 * 1024;
/** Envelope bytes all requests together may hold. */
export const DEFAULT_MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;
/** A page is read from the store this many envelopes at a time, with a turn of the event loop between. */
export const DEFAULT_READ_SLICE_ENVELOPES = 100;
/**
 * A send (or a wait for memory) taking longer than this drops the request: the peer does not read. Equal
 * to the clients' page timeout (status-go 10 s): by then the client has given up on the page anyway.
 */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
/**
 * Archive writes that fail for a transient reason (connection lost, database restarting, busy) wait in a
 * retry queue of at most this many envelopes and bytes; what does not fit is dropped and counted. 10,000
 * envelopes is minutes of a busy fleet's traffic; the byte cap bounds it when envelopes are large.
 */
export const DEFAULT_ARCHIVE_RETRY_MAX_ENVELOPES = 10_000;
export const DEFAULT_ARCHIVE_RETRY_MAX_BYTES = 32 * 1024 * 1024;
/** First wait before retrying failed archive writes, doubled after each failure up to the maximum. */
export const DEFAULT_ARCHIVE_RETRY_MIN_DELAY_MS = 1_000;
export const DEFAULT_ARCHIVE_RETRY_MAX_DELAY_MS = 30_000;
/** Days envelopes are kept, and how often the cleaner runs. */
export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;
/** Client: request timeout and retries per mailserver (status-go uses 10 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_RETRIES = 2;
/** Client: identical topic requests within this many ms are refused unless forced. */
export const DUPLICATE_REQUEST_WINDOW_MS = 3_000;
/** TTL of a request envelope (status-go sends 50 s). */
export const REQUEST_ENVELOPE_TTL = 50;
/** Client: a gap fetch starts this many seconds before the last fetched bound (late arrivals at the server). */
export const RESYNC_OVERLAP_SECONDS = 60;
/** Client: a gap fetch reaches back at most this far (the servers' default retention). */
export const DEFAULT_MAX_RESYNC_SECONDS = 30 * 24 * 60 * 60;
/**
 * Client: P2P packets from a mailserver that break its bounds (envelopes nobody asked for, beyond the limit
 * asked for, above the byte budget) before the client drops it. An honest server never breaks them: its
 * pages stop at the limit (status-go counts the limit-th envelope and stops), it answers only requests, and
 * a late answer to a timed-out request is allowed for one more timeout. 3 leaves room for a glitch and
 * bounds a hostile server to 3 refused packets (each at most the 1.5 MiB packet cap).
 */
export const DEFAULT_MAILSERVER_MAX_STRIKES = 3;
/**
 * Client: envelope bytes per second a mailserver may send (0 turns the budget off). Eight times what
 * status-go allows an ordinary peer (1 MiB/s): history comes in bursts of whole pages (1000 envelopes of
 * about 1 KB of text each), and more than this outruns what a phone opens and stores.
 */
export const DEFAULT_MAILSERVER_BYTES_PER_SECOND = 8 * 1024 * 1024;
/**
 * Client: the byte budget holds this many seconds of `maxBytesPerSecond` (64 MiB by default). A request is
 * sent once half of it is back, so one whole answer of a status-ts server (32 MiB) always fits in it.
 */
export const MAILSERVER_BYTES_BURST_SECONDS = 8;
