// The client's message store: one interface, kept in memory here and in SQLite by
// '@status-ts/client/sqlite'.
export { type ChatPosition, encodeCursor } from './cursor.js';
export { DELIVERY_STATES, deliveryStateApplies } from './delivery.js';
export { MESSAGE_STORE_LIMITS } from './limits.js';
export { MemoryMessageStore } from './memory.js';
export type { MessageStore, MessageStoreOptions } from './message-store.js';
export type {
  ChatInput,
  ContactInput,
  ContactUpdateInput,
  DeliveryState,
  InstallationInput,
  MessagePage,
  MessagePageOptions,
  NewMessage,
  StoredAudioContent,
  StoredChat,
  StoredChatKind,
  StoredContact,
  StoredImageContent,
  StoredInstallation,
  StoredMessage,
  StoredMessageContent,
  StoredReaction,
  StoredStickerContent,
  TopicSyncState,
} from './types.js';
export { validateNewMessage, validateReaction } from './validate.js';
