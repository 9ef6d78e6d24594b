/**
 * Defaults of the PeerPool, from status-go `params/defaults.go` and `peers/` (checklist PP-01..PP-05).
 * Every one can be overridden in `PeerPoolOptions`.
 */

/** Search period while a topic has fewer peers than its `min` (status-go `DefaultFastSync`). */
export const DEFAULT_FAST_PERIOD_MS = 3_000;
/** Search period once `min` is reached (status-go `DefaultSlowSync`). */
export const DEFAULT_SLOW_PERIOD_MS = 30_000;
/** Fast mode lasts at most this long, then the topic goes slow even below `min` (`DefaultTopicFastModeTimeout`). */
export const DEFAULT_FAST_MODE_TIMEOUT_MS = 30_000;
/** A topic at `max` stops searching after this delay (`DefaultTopicStopSearchDelay`). */
export const DEFAULT_STOP_SEARCH_DELAY_MS = 10_000;
/** All discovery stops this long after it started, whatever the counts (`DefaultDiscV5Timeout`). */
export const DEFAULT_DISCOVERY_TIMEOUT_MS = 3 * 60_000;
/** A source whose search failed is started again after this delay. */
export const DEFAULT_SOURCE_RETRY_MS = 2_000;
/** A discovered peer can be dialed for this long after it was last seen (status-go `expirationPeriod`). */
export const DEFAULT_PEER_EXPIRY_MS = 60 * 60_000;
/** Cached peers dialed per topic before any source is asked (PP-05). */
export const DEFAULT_CACHE_SEED = 5;
/** Peers kept per topic in the cache (the most recently connected). */
export const DEFAULT_CACHE_LIMIT = 50;
/** First wait before dialing a failed peer again; doubles per failure. */
export const DEFAULT_BACKOFF_MIN_MS = 5_000;
/** Longest wait before dialing a failed peer again. */
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;
/** Static nodes: first and longest wait before a re-dial. */
export const DEFAULT_STATIC_REDIAL_MIN_MS = 1_000;
export const DEFAULT_STATIC_REDIAL_MAX_MS = 60_000;
/** Records one source may hand over in one search round (bounds a source yielding only unusable records). */
export const DEFAULT_MAX_PULLS_PER_ROUND = 64;
/** Candidates remembered per topic (most recently seen kept). */
export const DEFAULT_MAX_CANDIDATES = 256;
/** Mailserver selection: how often the connected mailservers are probed again. */
export const DEFAULT_MAILSERVER_CHECK_INTERVAL_MS = 60_000;
/** Mailserver selection: a probe that takes longer fails. */
export const DEFAULT_MAILSERVER_PROBE_TIMEOUT_MS = 5_000;

/**
 * A discovered record advertising `whispermail` is not taken as a mailserver unless the app opts in: status-go
 * uses only its fleet list, the user's own and verified cache entries (`peers/cotopicpool.go`).
 */
export const DEFAULT_USE_DISCOVERED_MAILSERVERS = false;

/** Per-topic target: dial until `min`, never beyond `max`. */
export interface TopicLimits {
  min: number;
  max: number;
}

/**
 * PP-01: status-go's defaults. `whisper` {2, 2} (`params.WhisperDiscv5Limits`); `whispermail` {3, 3}
 * (`peers.MailServerDiscoveryLimits`). Pinned by behaviour in test/topic-limits.test.ts. A mobile node that wants 3 relayers and 1 mailserver passes its own limits.
 */
export const DEFAULT_TOPIC_LIMITS: Readonly<Record<string, TopicLimits>> = {
  whisper: { min: 2, max: 2 },
  whispermail: { min: 3, max: 3 },
};

/** RLPx capabilities a relayer must share with us (either one): Waku v1 or Whisper v6. */
export const RELAY_CAPABILITIES: ReadonlyArray<{ name: string; version: number }> = [
  { name: 'waku', version: 1 },
  { name: 'shh', version: 6 },
];
