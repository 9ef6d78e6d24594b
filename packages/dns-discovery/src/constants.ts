/** Default limits and timings. Every one is overridable in the options of the object that uses it. */

/** Per-query timeout (checklist DNS-06, go-ethereum's default). */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
/** How often a tree's root is fetched again while walking it (checklist DNS-06, go-ethereum: 30 min). */
export const DEFAULT_RECHECK_INTERVAL_MS = 30 * 60_000;
/** Delay before failed queries are retried once a walk has nothing else to do. */
export const DEFAULT_RETRY_DELAY_MS = 10_000;
/** Parallel queries in a full sync. */
export const DEFAULT_SYNC_CONCURRENCY = 8;
/** Resolved entries kept in the client's LRU cache (go-ethereum: 1000). */
export const DEFAULT_CACHE_SIZE = 1_000;
/** Deepest branch nesting accepted below a root (13^16 leaves: far beyond any real tree). */
export const DEFAULT_MAX_DEPTH = 16;
/** Entries (branches and leaves) visited in one tree per sync or per walk round. */
export const DEFAULT_MAX_ENTRIES = 20_000;
/** Longest TXT record the builder publishes (all strings joined): one answer fits a 512-byte UDP packet. */
export const DEFAULT_MAX_TXT_LENGTH = 512;
/**
 * Longest TXT record the client accepts (all strings joined). EIP-1459 publishers SHOULD stay under 512, but
 * go-ethereum's client reads any length (a branch of 30 hashes is 824 characters); this hard cap only bounds
 * the memory one answer may take: 8 times the publishing limit, ~150 hashes per branch, 10 max-size ENRs.
 */
export const DEFAULT_MAX_RECEIVED_TXT_LENGTH = 4_096;
/** DNS-over-HTTPS request timeout, covering the HTTP exchange and reading the body (as a UDP query's). */
export const DEFAULT_DOH_TIMEOUT_MS = DEFAULT_QUERY_TIMEOUT_MS;
/**
 * Largest DNS-over-HTTPS body read: 64 KiB, since a DNS message cannot exceed 65,535 bytes (its length is
 * 16 bits in DNS over TCP), so anything longer is not an answer; a real EIP-1459 answer is under 1 KiB.
 */
export const DEFAULT_DOH_MAX_RESPONSE_BYTES = 65_536;
/** Hashes per branch in the builder: 13 * 27 + 15 < 370, go-ethereum's budget for one TXT answer. */
export const DEFAULT_MAX_CHILDREN = 13;
/** Consecutive failed leaf queries after which the root is fetched again (go-ethereum: 5). */
export const ROOT_RECHECK_FAIL_COUNT = 5;

/** Bytes of keccak256(entry) kept in a child name (26 base32 characters). */
export const HASH_ABBREV_BYTES = 16;
/** Shortest and longest decoded child hash a parser accepts (go-ethereum: 12..32). */
export const MIN_HASH_BYTES = 12;
export const MAX_HASH_BYTES = 32;

export const ROOT_PREFIX = 'enrtree-root:v1';
export const BRANCH_PREFIX = 'enrtree-branch:';
export const LINK_PREFIX = 'enrtree://';
export const ENR_PREFIX = 'enr:';
