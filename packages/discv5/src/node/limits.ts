import { MAX_PACKET_SIZE, MIN_PACKET_SIZE } from '../packet/constants.js';

/** Per-request response timeout (go-ethereum's V5RespTimeout; discv5-wire suggests 500 ms). */
export const REQUEST_TIMEOUT_MS = 700;
/** How long a WHOAREYOU challenge we sent waits for its handshake (discv5-wire: 1 s). */
export const HANDSHAKE_TIMEOUT_MS = 1000;
/** Times an unanswered request is sent again before it fails. */
export const REQUEST_RETRIES = 1;
/** Sessions kept (LRU, keyed by node id + endpoint). */
export const SESSION_CACHE_LIMIT = 1024;
/** WHOAREYOU challenges awaiting a handshake, at most (oldest dropped first). */
export const MAX_PENDING_CHALLENGES = 1024;
/** Requests of ours awaiting answers, at most; more fail with ERR_DISCV5_TOO_MANY_REQUESTS. */
export const MAX_PENDING_REQUESTS = 1024;
/** k: nodes per bucket. */
export const BUCKET_SIZE = 16;
/** Replacement list length per bucket (go-ethereum: 10). */
export const REPLACEMENT_CACHE_SIZE = 10;
/** α: concurrent FINDNODE requests of one lookup. */
export const LOOKUP_PARALLELISM = 3;
/** Distances asked of each node during a lookup (d, d+1, d-1). */
export const LOOKUP_DISTANCES = 3;
/** A lookup gives up after this long even if nodes are still answering. */
export const LOOKUP_TIMEOUT_MS = 30_000;
/** Records sent in answer to one FINDNODE (discv5-wire recommends 16). */
export const FINDNODE_RESULT_LIMIT = 16;
/** NODES messages accepted for one request (a larger `total` is capped; go-ethereum: 5). */
export const MAX_NODES_RESPONSES = 5;
/** Packets per second accepted from one IP address, sustained. */
export const RATE_LIMIT_PACKETS_PER_SECOND = 500;
/** Packets one IP address may send at once above the sustained rate. */
export const RATE_LIMIT_BURST = 1000;
/** IP addresses the rate limiter tracks at once. */
export const RATE_LIMIT_MAX_TRACKED_IPS = 10_000;
/** A random table node's liveness is checked (PING) this often. */
export const REVALIDATE_INTERVAL_MS = 10_000;
/** Nodes whose tables the random walk reads at the same time. */
export const WALK_PARALLELISM = 1;
/** FINDNODE requests the random walk sends each node to read its table (see `walkRequestDistances`). */
export const WALK_REQUESTS_PER_NODE = 2;
/** A random lookup refreshes the table this often. */
export const REFRESH_INTERVAL_MS = 60_000;
/** Pause before a running random walk (PeerSource, `randomNodes()`) asks the known nodes again. */
export const RANDOM_WALK_INTERVAL_MS = 1_000;
/** Distinct nodes that must report the same external endpoint before the local record changes. */
export const ENDPOINT_VOTES_REQUIRED = 10;
/** How long an endpoint vote counts. */
export const ENDPOINT_VOTE_TTL_MS = 5 * 60_000;
/** Endpoint voters remembered at once. */
export const MAX_ENDPOINT_VOTERS = 200;
/** WHOAREYOU answers one request may get (a second one covers a lost handshake packet). */
export const MAX_HANDSHAKES_PER_REQUEST = 2;
/**
 * Nonces remembered per session (and per pending WHOAREYOU) so a copy of a recent packet is dropped, not
 * answered again. A session carries a few packets per lookup; 64 covers many lookups, while 1024 sessions
 * x 64 short strings stay within a few MB. A copy older than that is answered at most once per 64 fresh
 * packets of the real peer.
 */
export const REPLAY_CACHE_SIZE = 64;

/** Every limit and default of a node; each can be overridden in `Discv5NodeOptions.limits`. */
export interface Discv5Limits {
  maxPacketSize: number;
  minPacketSize: number;
  requestTimeoutMs: number;
  handshakeTimeoutMs: number;
  requestRetries: number;
  sessionCacheLimit: number;
  maxPendingChallenges: number;
  maxPendingRequests: number;
  bucketSize: number;
  replacementCacheSize: number;
  lookupParallelism: number;
  lookupDistances: number;
  lookupTimeoutMs: number;
  walkParallelism: number;
  walkRequestsPerNode: number;
  findNodeResultLimit: number;
  maxNodesResponses: number;
  /** 0 disables the per-IP limit. */
  rateLimitPacketsPerSecond: number;
  rateLimitBurst: number;
  rateLimitMaxTrackedIps: number;
  revalidateIntervalMs: number;
  refreshIntervalMs: number;
  randomWalkIntervalMs: number;
  endpointVotesRequired: number;
  endpointVoteTtlMs: number;
  maxEndpointVoters: number;
  maxHandshakesPerRequest: number;
  /** An integer >= 1. */
  replayCacheSize: number;
}

export const DEFAULT_DISCV5_LIMITS: Readonly<Discv5Limits> = Object.freeze({
  maxPacketSize: MAX_PACKET_SIZE,
  minPacketSize: MIN_PACKET_SIZE,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  requestRetries: REQUEST_RETRIES,
  sessionCacheLimit: SESSION_CACHE_LIMIT,
  maxPendingChallenges: MAX_PENDING_CHALLENGES,
  maxPendingRequests: MAX_PENDING_REQUESTS,
  bucketSize: BUCKET_SIZE,
  replacementCacheSize: REPLACEMENT_CACHE_SIZE,
  lookupParallelism: LOOKUP_PARALLELISM,
  lookupDistances: LOOKUP_DISTANCES,
  lookupTimeoutMs: LOOKUP_TIMEOUT_MS,
  walkParallelism: WALK_PARALLELISM,
  walkRequestsPerNode: WALK_REQUESTS_PER_NODE,
  findNodeResultLimit: FINDNODE_RESULT_LIMIT,
  maxNodesResponses: MAX_NODES_RESPONSES,
  rateLimitPacketsPerSecond: RATE_LIMIT_PACKETS_PER_SECOND,
  rateLimitBurst: RATE_LIMIT_BURST,
  rateLimitMaxTrackedIps: RATE_LIMIT_MAX_TRACKED_IPS,
  revalidateIntervalMs: REVALIDATE_INTERVAL_MS,
  refreshIntervalMs: REFRESH_INTERVAL_MS,
  randomWalkIntervalMs: RANDOM_WALK_INTERVAL_MS,
  endpointVotesRequired: ENDPOINT_VOTES_REQUIRED,
  endpointVoteTtlMs: ENDPOINT_VOTE_TTL_MS,
  maxEndpointVoters: MAX_ENDPOINT_VOTERS,
  maxHandshakesPerRequest: MAX_HANDSHAKES_PER_REQUEST,
  replayCacheSize: REPLAY_CACHE_SIZE,
});
