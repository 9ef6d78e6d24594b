import { bytesToHex, type Clock, type Logger, systemClock } from '@status-ts/core';
import {
  DEFAULT_FILTER_QUEUE_LIMIT,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_MAX_OUTGOING_PACKET_SIZE,
  DEFAULT_MAX_PACKET_SIZE,
  DEFAULT_MAX_POOL_BYTES,
  DEFAULT_MAX_POOL_SHARE_PER_PEER,
  DEFAULT_MAX_POOL_SIZE,
  DEFAULT_MAX_RELAY_QUEUE,
  DEFAULT_MAX_TTL,
  DEFAULT_POW_TIME_MS,
  DEFAULT_STATUS_TIMEOUT_MS,
  DEFAULT_SYNC_ALLOWANCE,
  EXPIRATION_CYCLE_MS,
  MAX_MESSAGE_SIZE_CAP,
  MAX_TOPIC_INTEREST,
  STATUS_MIN_POW,
  STATUS_TTL,
  TRANSMISSION_CYCLE_MS,
} from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { assertTopic, type Topic } from '../topics.js';
import type { WireProtocolName } from '../wire/codes.js';
import { assertP2PGate, type P2PGate } from './p2p-gate.js';
import type { RateLimitOptions } from './rate-limiter.js';

/**
 * What the node asks peers for: everything (a relayer), or only the topics of its filters (plus
 * `interestTopics`) as a bloom filter or as an exact topic-interest list (bandwidth vs privacy, CLI-13).
 */
export type InterestMode = 'full' | 'bloom' | 'topics';

export interface WakuNodeOptions {
  /** Capabilities to offer: waku/1 (default) and/or shh/6. Both make a bridge (SHH-02). */
  protocols?: readonly WireProtocolName[];
  clock?: Clock;
  /** PoW we require and advertise (default 0.000002: never above the Status sender targets, WAKU-11). */
  minPow?: number;
  /** Light node: relay nothing but our own envelopes (WAKU-15). */
  lightNode?: boolean;
  /** Refuse a light peer when we are light too (default true). */
  restrictLightConnections?: boolean;
  /** Answer every Messages packet with Message Response + Batch Ack (WAKU-16). Default false. */
  confirmations?: boolean;
  /** Default 'topics' for light nodes, 'full' otherwise. */
  interest?: InterestMode;
  /** Topics always in our interest besides those of our filters. */
  interestTopics?: readonly Topic[];
  /** Largest envelope `20 + len(data)` accepted (default 1 MiB, at most 10 MiB). */
  maxMessageSize?: number;
  /** Largest incoming packet (default 1.5 MiB); a bigger one disconnects the peer. */
  maxPacketSize?: number;
  /** Largest Messages packet we send (default 1 MiB, what status-go peers accept). */
  maxOutgoingPacketSize?: number;
  /** Longest topic-interest list accepted or advertised (default 10000). */
  maxTopicInterest?: number;
  /** Seconds of clock skew tolerated (default 10). */
  syncAllowance?: number;
  /** Time a peer has to send its Status (default 10 s). */
  statusTimeoutMs?: number;
  /** Relay batch period (default 300 ms). */
  transmissionCycleMs?: number;
  /** Pool expiry sweep period (default 1 s). */
  expirationCycleMs?: number;
  /** Envelopes held at most (default 100000); when full, the lowest-PoW peer envelopes are evicted first. */
  maxPoolSize?: number;
  /** Envelopes queued for relay to one peer at most; the oldest beyond it are skipped (default 10000). */
  maxRelayQueue?: number;
  /** Encoded bytes held at most (default 256 MiB). */
  maxPoolBytes?: number;
  /** Fraction (0, 1] of maxPoolSize and maxPoolBytes one peer's envelopes may hold (default 1/8; 1 = no share). */
  maxPoolSharePerPeer?: number;
  /** Longest envelope TTL accepted or posted, in seconds (default 600). */
  maxTtl?: number;
  /** Incoming rate limits (status-go defaults); `false` turns them off. */
  rateLimits?: RateLimitOptions | false;
  /**
   * Peers (node ids) trusted to send P2P messages: mailservers. Their P2P history packets (P2P messages,
   * request-complete, shh/6 sync responses) skip the rate limits; their relay traffic does not.
   */
  trustedPeers?: readonly (Uint8Array | string)[];
  /**
   * Decides which P2P envelopes and request-complete packets of trusted peers are delivered (default none:
   * all). A MailClient installs its own with `setP2PGate`; see {@link P2PGate}.
   */
  p2pGate?: P2PGate;
  /** Defaults for `post()`. */
  ttl?: number;
  powTimeMs?: number;
  /** Default queue limit of new filters (default 1024). */
  filterQueueLimit?: number;
  /** Where this node logs (default the `status-ts:waku` loggers, enabled by `DEBUG`). */
  logger?: Logger;
}

export interface ResolvedOptions {
  protocols: readonly WireProtocolName[];
  clock: Clock;
  minPow: number;
  lightNode: boolean;
  restrictLightConnections: boolean;
  confirmations: boolean;
  interest: InterestMode;
  interestTopics: readonly Topic[];
  maxMessageSize: number;
  maxPacketSize: number;
  maxOutgoingPacketSize: number;
  maxTopicInterest: number;
  syncAllowance: number;
  statusTimeoutMs: number;
  transmissionCycleMs: number;
  expirationCycleMs: number;
  maxPoolSize: number;
  maxRelayQueue: number;
  maxPoolBytes: number;
  maxPoolSharePerPeer: number;
  maxTtl: number;
  rateLimits: RateLimitOptions | false;
  trustedPeers: Set<string>;
  p2pGate: P2PGate | undefined;
  ttl: number;
  powTimeMs: number;
  filterQueueLimit: number;
  logger: Logger | undefined;
}

function invalid(message: string): WakuError {
  return new WakuError(WakuErrorCode.InvalidOptions, message);
}

function positiveInt(
  value: number | undefined,
  fallback: number,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v <= 0 || v > max)
    throw invalid(`${name} must be an integer in 1..${max}, got ${v}`);
  return v;
}

export function resolveOptions(options: WakuNodeOptions): ResolvedOptions {
  const protocols = options.protocols ?? ['waku'];
  if (protocols.length === 0 || protocols.some((p) => p !== 'waku' && p !== 'shh')) {
    throw invalid(`protocols must be a non-empty list of 'waku' and 'shh'`);
  }
  const minPow = options.minPow ?? STATUS_MIN_POW;
  if (!Number.isFinite(minPow) || minPow < 0)
    throw invalid(`minPow must be a finite number >= 0, got ${minPow}`);
  const lightNode = options.lightNode ?? false;
  const interest = options.interest ?? (lightNode ? 'topics' : 'full');
  if (!['full', 'bloom', 'topics'].includes(interest)) throw invalid(`unknown interest mode ${interest}`);
  for (const t of options.interestTopics ?? []) assertTopic(t, 'interest topic');
  const syncAllowance = options.syncAllowance ?? DEFAULT_SYNC_ALLOWANCE;
  if (!Number.isSafeInteger(syncAllowance) || syncAllowance < 0)
    throw invalid('syncAllowance must be an integer >= 0');
  const maxTtl = positiveInt(options.maxTtl, DEFAULT_MAX_TTL, 'maxTtl', 0xffffffff);
  const ttl = positiveInt(options.ttl, STATUS_TTL, 'ttl', maxTtl);
  const maxPoolSharePerPeer = options.maxPoolSharePerPeer ?? DEFAULT_MAX_POOL_SHARE_PER_PEER;
  assertP2PGate(options.p2pGate);
  if (!(maxPoolSharePerPeer > 0 && maxPoolSharePerPeer <= 1)) {
    throw invalid(`maxPoolSharePerPeer must be a fraction in (0, 1], got ${maxPoolSharePerPeer}`);
  }
  return {
    protocols: [...new Set(protocols)],
    clock: options.clock ?? systemClock,
    minPow,
    lightNode,
    restrictLightConnections: options.restrictLightConnections ?? true,
    confirmations: options.confirmations ?? false,
    interest,
    interestTopics: (options.interestTopics ?? []).map((t) => t.slice()),
    maxMessageSize: positiveInt(
      options.maxMessageSize,
      DEFAULT_MAX_MESSAGE_SIZE,
      'maxMessageSize',
      MAX_MESSAGE_SIZE_CAP,
    ),
    maxPacketSize: positiveInt(options.maxPacketSize, DEFAULT_MAX_PACKET_SIZE, 'maxPacketSize'),
    maxOutgoingPacketSize: positiveInt(
      options.maxOutgoingPacketSize,
      DEFAULT_MAX_OUTGOING_PACKET_SIZE,
      'maxOutgoingPacketSize',
    ),
    maxTopicInterest: positiveInt(options.maxTopicInterest, MAX_TOPIC_INTEREST, 'maxTopicInterest'),
    syncAllowance,
    statusTimeoutMs: positiveInt(options.statusTimeoutMs, DEFAULT_STATUS_TIMEOUT_MS, 'statusTimeoutMs'),
    transmissionCycleMs: positiveInt(
      options.transmissionCycleMs,
      TRANSMISSION_CYCLE_MS,
      'transmissionCycleMs',
    ),
    expirationCycleMs: positiveInt(options.expirationCycleMs, EXPIRATION_CYCLE_MS, 'expirationCycleMs'),
    maxPoolSize: positiveInt(options.maxPoolSize, DEFAULT_MAX_POOL_SIZE, 'maxPoolSize'),
    maxRelayQueue: positiveInt(options.maxRelayQueue, DEFAULT_MAX_RELAY_QUEUE, 'maxRelayQueue'),
    maxPoolBytes: positiveInt(options.maxPoolBytes, DEFAULT_MAX_POOL_BYTES, 'maxPoolBytes'),
    maxPoolSharePerPeer,
    maxTtl,
    rateLimits: options.rateLimits ?? {},
    trustedPeers: new Set(
      (options.trustedPeers ?? []).map((id) => (typeof id === 'string' ? id.toLowerCase() : bytesToHex(id))),
    ),
    p2pGate: options.p2pGate,
    ttl,
    powTimeMs: positiveInt(options.powTimeMs, DEFAULT_POW_TIME_MS, 'powTimeMs'),
    filterQueueLimit: positiveInt(options.filterQueueLimit, DEFAULT_FILTER_QUEUE_LIMIT, 'filterQueueLimit'),
    logger: options.logger,
  };
}
