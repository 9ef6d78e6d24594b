import type {
  ChatInput,
  ContactInput,
  ContactUpdateInput,
  DeliveryState,
  InstallationInput,
  MessagePage,
  MessagePageOptions,
  NewMessage,
  StoredChat,
  StoredContact,
  StoredInstallation,
  StoredMessage,
  StoredReaction,
  TopicSyncState,
} from './types.js';

/** Options shared by every message store implementation. */
export interface MessageStoreOptions {
  /** Milliseconds since the Unix epoch, for `createdAt` and `deliveryStateAt` (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Everything a Status client keeps: chats, messages, reactions, contacts, history sync progress and our own
 * devices. Every write validates all of its input before it changes anything and is atomic (one SQLite
 * transaction), so bad input never leaves part of a batch behind. Reads return copies. Errors are
 * `ClientError`s: ERR_CLIENT_INVALID_ARGUMENT, ERR_CLIENT_STORE_LIMIT (see `MESSAGE_STORE_LIMITS`),
 * ERR_CLIENT_UNKNOWN_CHAT, ERR_CLIENT_UNKNOWN_MESSAGE, ERR_CLIENT_STORE_CLOSED. Implementations:
 * `MemoryMessageStore`, and the SQLite store of `@status-ts/client/sqlite`.
 */
export interface MessageStore {
  /** Creates the chat or updates the fields given (ERR_CLIENT_INVALID_ARGUMENT when `kind` differs). */
  upsertChat(chat: ChatInput): Promise<StoredChat>;
  getChat(id: string): Promise<StoredChat | undefined>;
  /** Active chats, most recent message first (then by id); with `includeInactive`, left ones too. */
  listChats(options?: { readonly includeInactive?: boolean }): Promise<StoredChat[]>;
  /** Leaves the chat, keeping it and its messages; false when it was not active (or not stored). */
  deactivateChat(id: string): Promise<boolean>;
  /** Sets the unread count to 0; false when the chat is not stored. */
  markChatRead(id: string): Promise<boolean>;

  /**
   * Saves the messages whose id is not known yet (neither stored nor deleted) and returns, per input, whether
   * it was new: a duplicate, even within the batch, is kept as first stored. In the same transaction each
   * chat's clock rises to the highest new clock, its `lastMessageAt` to the newest timestamp, and its unread
   * count grows by its new incoming messages. Every chat must be stored (ERR_CLIENT_UNKNOWN_CHAT).
   */
  saveMessages(batch: readonly NewMessage[]): Promise<boolean[]>;
  /** True when the id is known: stored, or deleted (so a deleted message is never saved again). */
  hasMessage(id: string): Promise<boolean>;
  getMessage(id: string): Promise<StoredMessage | undefined>;
  /** A page of a chat in chat order (clock ascending, then id): the newest `limit` before `before`. */
  messages(chatId: string, options: MessagePageOptions): Promise<MessagePage>;
  /**
   * Moves an outgoing message to `state` unless that would undo progress: forward through sending, sent,
   * confirmed, acknowledged; 'failed' (given up on, never acknowledged) from any state but acknowledged;
   * from 'failed' only a retry ('sending') or a late acknowledgement. Returns whether the state changed. ERR_CLIENT_UNKNOWN_MESSAGE for an
   * unknown id, ERR_CLIENT_INVALID_ARGUMENT for an incoming message.
   */
  setDeliveryState(id: string, state: DeliveryState): Promise<boolean>;
  /** Outgoing messages in one of `states`, least recently changed first: what to resend after a restart. */
  messagesInDeliveryState(states: readonly DeliveryState[], limit: number): Promise<StoredMessage[]>;
  /** Deletes the message and its reactions, remembering the id (see `hasMessage`); false when not stored. */
  deleteMessage(id: string): Promise<boolean>;

  /**
   * Keeps each reaction whose clock is higher than the stored one of the same id (the first one of an id
   * on equal clocks); returns, per input, whether it was kept. Every chat must be stored.
   */
  saveReactions(batch: readonly StoredReaction[]): Promise<boolean[]>;
  /** The current version of a reaction, retracted or not. */
  getReaction(id: string): Promise<StoredReaction | undefined>;
  /** The reactions to a message that are not retracted, by clock then id. */
  reactions(messageId: string): Promise<StoredReaction[]>;

  /** Creates the contact or updates the fields given. */
  upsertContact(contact: ContactInput): Promise<StoredContact>;
  /**
   * Applies a contact update signed by `key` when its clock is above the contact's last one (creating the
   * contact, not added, if needed); returns whether it applied.
   */
  applyContactUpdate(key: string, update: ContactUpdateInput): Promise<boolean>;
  getContact(key: string): Promise<StoredContact | undefined>;
  /** Every stored contact, by key. */
  listContacts(): Promise<StoredContact[]>;

  /** Unix seconds up to which the topic's history was fetched, undefined when never. */
  historySyncedUntil(topic: Uint8Array): Promise<number | undefined>;
  /** Records that the topics' history was fetched up to `until` (unix seconds); a time is never lowered. */
  markHistorySynced(topics: readonly Uint8Array[], until: number): Promise<void>;
  /** Every topic's progress, by topic. */
  historySyncState(): Promise<TopicSyncState[]>;
  /** Forgets the topics' progress (a chat left for good): their history is fetched again from scratch. */
  forgetHistorySync(topics: readonly Uint8Array[]): Promise<void>;

  /** Creates our installation record or updates the fields given (`lastSeen` only rises). */
  upsertInstallation(installation: InstallationInput): Promise<StoredInstallation>;
  getInstallation(id: string): Promise<StoredInstallation | undefined>;
  /** Every installation of our account, by id. */
  listInstallations(): Promise<StoredInstallation[]>;

  /** Releases the store; every later call fails with ERR_CLIENT_STORE_CLOSED. Closing twice is harmless. */
  close(): Promise<void>;
}
