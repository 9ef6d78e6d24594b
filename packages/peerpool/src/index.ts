export { Backoff } from './backoff.js';
export { MemoryPeerCache } from './cache/memory-cache.js';
export { type CachedPeer, cachedRecords, type PeerCache } from './cache/peer-cache.js';
export * from './constants.js';
export {
  type ConnectedPeer,
  type Dialer,
  normaliseId,
  type PeerCapability,
  type PeerTarget,
  targetId,
  targetRecord,
} from './dialer.js';
export { isPeerPoolError, PeerPoolError, PeerPoolErrorCode } from './errors.js';
export { type MailserverProbe, MailserverSelector, type SelectedMailserver } from './mailserver-selector.js';
export {
  DEFAULT_TIMING,
  type DiscoverySummary,
  type DropReason,
  type PeerAddedEvent,
  type PeerDroppedEvent,
  type PeerFailedEvent,
  type PeerFoundEvent,
  type PeerPoolEvents,
  type PeerPoolOptions,
  type PeerPoolTiming,
  type StaticPeer,
  type StopReason,
  type TopicSummary,
} from './options.js';
export { PeerPool, type TopicStatus } from './peer-pool.js';
export { mailserverRequirement, relayRequirement, type TopicRequirement } from './requirements.js';
export { type Devp2pPeerLike, type Devp2pServerLike, serverDialer } from './server-dialer.js';
export { StaticPeerSource } from './static-source.js';
export type { SearchMode } from './topic-state.js';
