import type { Clock, Logger } from '@status-ts/core';
import type { Enr, PeerSource } from '@status-ts/enr';
import type { PeerCache } from './cache/peer-cache.js';
import {
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_BACKOFF_MIN_MS,
  DEFAULT_CACHE_SEED,
  DEFAULT_DISCOVERY_TIMEOUT_MS,
  DEFAULT_FAST_MODE_TIMEOUT_MS,
  DEFAULT_FAST_PERIOD_MS,
  DEFAULT_MAILSERVER_CHECK_INTERVAL_MS,
  DEFAULT_MAILSERVER_PROBE_TIMEOUT_MS,
  DEFAULT_MAX_CANDIDATES,
  DEFAULT_MAX_PULLS_PER_ROUND,
  DEFAULT_PEER_EXPIRY_MS,
  DEFAULT_SLOW_PERIOD_MS,
  DEFAULT_SOURCE_RETRY_MS,
  DEFAULT_STATIC_REDIAL_MAX_MS,
  DEFAULT_STATIC_REDIAL_MIN_MS,
  DEFAULT_STOP_SEARCH_DELAY_MS,
  type TopicLimits,
} from './constants.js';
import type { ConnectedPeer, Dialer, PeerCapability, PeerTarget } from './dialer.js';
import type { MailserverProbe, SelectedMailserver } from './mailserver-selector.js';
import type { TopicRequirement } from './requirements.js';
import type { SearchMode } from './topic-state.js';

/** Every timing and size of the pool; defaults in constants.ts (status-go's values). */
export interface PeerPoolTiming {
  fastPeriodMs: number;
  slowPeriodMs: number;
  fastModeTimeoutMs: number;
  stopSearchDelayMs: number;
  discoveryTimeoutMs: number;
  sourceRetryMs: number;
  peerExpiryMs: number;
  cacheSeed: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  staticRedialMinMs: number;
  staticRedialMaxMs: number;
  maxPullsPerRound: number;
  maxCandidates: number;
  mailserverCheckIntervalMs: number;
  mailserverProbeTimeoutMs: number;
}

export const DEFAULT_TIMING: Readonly<PeerPoolTiming> = {
  fastPeriodMs: DEFAULT_FAST_PERIOD_MS,
  slowPeriodMs: DEFAULT_SLOW_PERIOD_MS,
  fastModeTimeoutMs: DEFAULT_FAST_MODE_TIMEOUT_MS,
  stopSearchDelayMs: DEFAULT_STOP_SEARCH_DELAY_MS,
  discoveryTimeoutMs: DEFAULT_DISCOVERY_TIMEOUT_MS,
  sourceRetryMs: DEFAULT_SOURCE_RETRY_MS,
  peerExpiryMs: DEFAULT_PEER_EXPIRY_MS,
  cacheSeed: DEFAULT_CACHE_SEED,
  backoffMinMs: DEFAULT_BACKOFF_MIN_MS,
  backoffMaxMs: DEFAULT_BACKOFF_MAX_MS,
  staticRedialMinMs: DEFAULT_STATIC_REDIAL_MIN_MS,
  staticRedialMaxMs: DEFAULT_STATIC_REDIAL_MAX_MS,
  maxPullsPerRound: DEFAULT_MAX_PULLS_PER_ROUND,
  maxCandidates: DEFAULT_MAX_CANDIDATES,
  mailserverCheckIntervalMs: DEFAULT_MAILSERVER_CHECK_INTERVAL_MS,
  mailserverProbeTimeoutMs: DEFAULT_MAILSERVER_PROBE_TIMEOUT_MS,
};

/** A static node: dialed always, re-dialed with backoff, counted toward `topic` (default `whisper`). */
export type StaticPeer = PeerTarget | { target: PeerTarget; topic?: string };

export interface PeerPoolOptions {
  /** Opens connections: `serverDialer(server)` over the devp2p Server. */
  dialer: Dialer;
  /** Discovery sources mixed fairly (discv5, rendezvous, DNS lists...). */
  sources?: readonly PeerSource[];
  /** Topics to keep peers for, with their limits; default `DEFAULT_TOPIC_LIMITS` (PP-01). */
  topics?: Readonly<Record<string, TopicLimits>>;
  /** Peers that worked, tried first on the next start (PP-05). */
  cache?: PeerCache;
  staticPeers?: readonly StaticPeer[];
  /** Trusted mailservers; when given, the mailserver topic accepts only these (PP-06). */
  mailservers?: readonly PeerTarget[];
  /**
   * Also take discovered records that advertise the `whispermail` role as mailservers (dialed, selected and
   * cached as such). Default false (`DEFAULT_USE_DISCOVERED_MAILSERVERS`): only the `mailservers` list and
   * mailservers from the pool's cache are used, as status-go does; a role in a record is only a claim.
   * Ignored when `mailservers` is given.
   */
  useDiscoveredMailservers?: boolean;
  /** Measures a mailserver's round trip for the selection; without it the first connected one is used. */
  mailserverProbe?: MailserverProbe;
  /** The topic mailservers are found under, default `whispermail`. */
  mailserverTopic?: string;
  /** Capabilities a peer must share (one of), default waku/1 or shh/6. */
  capabilities?: readonly PeerCapability[];
  /** Custom rules per topic (replace the default relay / mailserver rules). */
  requirements?: Readonly<Record<string, TopicRequirement>>;
  /** Our own node id (64-byte public key): never dialed. */
  selfId?: Uint8Array | string;
  /** Stop a topic's search `stopSearchDelayMs` after it reaches `max` (default true). */
  stopSearchWhenFull?: boolean;
  clock?: Clock;
  timing?: Partial<PeerPoolTiming>;
  /** Where this pool logs (default the `status-ts:peerpool` logger, enabled by `DEBUG`). */
  logger?: Logger;
}

export interface PeerFoundEvent {
  topic: string;
  source: string;
  id: string;
  enr: Enr;
}

export interface PeerAddedEvent {
  topic: string;
  source: string;
  id: string;
  peer: ConnectedPeer;
  static: boolean;
}

export type DropReason = 'disconnected' | 'dismissed';

export interface PeerDroppedEvent {
  topic: string;
  source: string;
  id: string;
  static: boolean;
  reason: DropReason;
  detail?: string | undefined;
}

export interface PeerFailedEvent {
  topic: string;
  source: string;
  id: string;
  static: boolean;
  error: unknown;
  /** Wait before this peer is dialed again. */
  retryInMs: number;
}

export type StopReason = 'limits' | 'timeout' | 'stopped';

export interface TopicSummary {
  limits: TopicLimits;
  mode: SearchMode;
  searching: boolean;
  connected: number;
  found: number;
  dialed: number;
  added: number;
  failed: number;
  dropped: number;
  /** Discovered records claiming the mailserver role, skipped as untrusted (no `useDiscoveredMailservers`). */
  untrusted: number;
  /** From `start()` to the first time `min` peers were connected. */
  timeToMinMs: number | undefined;
}

export interface DiscoverySummary {
  reason: StopReason | undefined;
  /** When discovery (last) started, on the pool's clock. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  topics: Record<string, TopicSummary>;
  /** Records found, per source and topic. */
  sources: Record<string, Record<string, number>>;
}

export interface PeerPoolEvents {
  'peer:found': [PeerFoundEvent];
  'peer:added': [PeerAddedEvent];
  'peer:dropped': [PeerDroppedEvent];
  'peer:failed': [PeerFailedEvent];
  'discovery:started': [];
  'discovery:stopped': [{ reason: StopReason }];
  'discovery:summary': [DiscoverySummary];
  'topic:mode': [{ topic: string; mode: SearchMode }];
  /** A topic stopped asking its sources (their `find` was aborted). */
  'search:suspended': [{ topic: string; reason: StopReason }];
  'search:resumed': [{ topic: string }];
  'mailserver:changed': [SelectedMailserver | undefined];
}
