export { ANNOUNCE_CHECK_INTERVAL_MS, CONTACT_UPDATE_INTERVAL_MS } from './announcements.js';
export type { DeviceMetadata, DeviceSyncSummary, OwnInstallation } from './devices.js';
export * from './discovery/index.js';
export { ClientError, ClientErrorCode } from './errors.js';
export type {
  ChatKind,
  DeliveryState,
  DroppedPayload,
  HistoryProgress,
  StatusMessage,
  StatusNodeEvents,
} from './events.js';
export type { GroupChatInfo } from './group-chats.js';
export { type HistoryOptions, type HistoryResult, INITIAL_HISTORY_SECONDS } from './history.js';
export { type IdentityOption, type NodeIdentity, resolveIdentity } from './identity.js';
export {
  createStatusNode,
  type NodeRole,
  type P2pOptions,
  StatusNode,
  type StatusNodeOptions,
} from './node.js';
export type { StatusNodeStats, TrafficStats } from './node-stats.js';
export { STATUS_PROFILE } from './profile.js';
export type { SentMessage } from './public-chats.js';
export { publicMessageWrapper } from './public-payload.js';
export type { StatusReaction } from './reactions.js';
export * from './store/index.js';
