export { ClientError, ClientErrorCode } from './errors.js';
export type { ChatKind, DeliveryState, DroppedPayload, StatusMessage, StatusNodeEvents } from './events.js';
export type { GroupChatInfo } from './group-chats.js';
export { type HistoryOptions, type HistoryResult, INITIAL_HISTORY_SECONDS } from './history.js';
export { type IdentityOption, type NodeIdentity, resolveIdentity } from './identity.js';
export {
  createStatusNode,
  type NodeRole,
  type SentMessage,
  StatusNode,
  type StatusNodeOptions,
} from './node.js';
export { STATUS_PROFILE } from './profile.js';
export { publicMessageWrapper } from './public-payload.js';
export type { StatusReaction } from './reactions.js';
export * from './store/index.js';
