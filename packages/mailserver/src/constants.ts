/** Password of the mailserver symmetric key (status-go `MailServerPassword`), PBKDF2 as Waku keys. */
export const MAILSERVER_PASSWORD = 'status-offline-inbox';
/** Widest time window one request may cover (the spec's 24 h), seconds. */
export const DEFAULT_MAX_WINDOW_SECONDS = 24 * 60 * 60;
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
/** Seconds a peer must wait between two requests (0 turns the limit off). */
export const DEFAULT_PEER_REQUEST_INTERVAL_MS = 0;
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
