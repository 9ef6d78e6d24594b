import {
  checkArray,
  checkBytes,
  checkCount,
  checkFlag,
  checkLimit,
  checkMessageId,
  checkObject,
  checkPublicKey,
  checkString,
  invalid,
} from './checks.js';
import { DELIVERY_STATES } from './delivery.js';
import { MESSAGE_STORE_LIMITS as LIMITS } from './limits.js';
import { TOPIC_BYTES } from './topic.js';
import type {
  ChatInput,
  ContactInput,
  ContactUpdateInput,
  DeliveryState,
  InstallationInput,
  NewMessage,
  StoredChatKind,
  StoredMessageContent,
  StoredReaction,
} from './types.js';

// One validator per record, used by every store before it writes: a batch is checked whole first, so a
// bad record can never leave part of the batch applied.

const CHAT_KINDS: readonly StoredChatKind[] = ['public', 'one-to-one', 'group'];

/** A chat id: `0x04…` for a 1:1 chat, any non-empty name up to the limit otherwise. */
export function validateChatId(id: unknown, kind?: StoredChatKind): string {
  if (kind === 'one-to-one') return checkPublicKey(id, 'chat id');
  return checkString(id, 'chat id', LIMITS.maxNameLength, false);
}

/** Checks a chat to upsert (ERR_CLIENT_INVALID_ARGUMENT, ERR_CLIENT_STORE_LIMIT). */
export function validateChatInput(chat: ChatInput): void {
  checkObject(chat, 'chat');
  if (!CHAT_KINDS.includes(chat.kind)) invalid('chat kind', `must be one of ${CHAT_KINDS.join(', ')}`);
  validateChatId(chat.id, chat.kind);
  if (chat.name !== undefined) checkString(chat.name, 'chat name', LIMITS.maxNameLength);
  if (chat.active !== undefined) checkFlag(chat.active, 'chat active');
  if (chat.lastClock !== undefined) checkCount(chat.lastClock, 'chat lastClock');
  if (chat.membershipEvents !== undefined) {
    if (chat.kind !== 'group') invalid('membershipEvents', 'only a group chat has membership events');
    checkArray(chat.membershipEvents, 'membershipEvents', LIMITS.maxMembershipEvents);
    for (const event of chat.membershipEvents) checkBytes(event, 'membership event', LIMITS.maxBytes);
  }
}

function validateContent(content: StoredMessageContent): void {
  checkObject(content, 'message content');
  switch (content.kind) {
    case 'sticker':
      checkString(content.hash, 'sticker hash', LIMITS.maxNameLength);
      checkCount(content.pack, 'sticker pack');
      return;
    case 'image':
      checkBytes(content.payload, 'image payload', LIMITS.maxBytes);
      checkString(content.imageType, 'image type', LIMITS.maxNameLength);
      return;
    case 'audio':
      checkBytes(content.payload, 'audio payload', LIMITS.maxBytes);
      checkString(content.audioType, 'audio type', LIMITS.maxNameLength);
      checkCount(content.durationMs, 'audio duration');
      return;
    default:
      invalid('message content kind', "must be 'sticker', 'image' or 'audio'");
  }
}

/** Checks a delivery state name. */
export function validateDeliveryState(state: unknown): DeliveryState {
  if (!DELIVERY_STATES.includes(state as DeliveryState)) {
    invalid('delivery state', `must be one of ${DELIVERY_STATES.join(', ')}`, { state });
  }
  return state as DeliveryState;
}

/**
 * Checks a message to save (ERR_CLIENT_INVALID_ARGUMENT, ERR_CLIENT_STORE_LIMIT): the node may run it on
 * each received message first, to drop a malformed one instead of failing a whole batch.
 */
export function validateNewMessage(message: NewMessage): void {
  checkObject(message, 'message');
  checkMessageId(message.id, 'message id');
  validateChatId(message.chatId);
  checkPublicKey(message.author, 'message author');
  checkCount(message.clock, 'message clock');
  checkCount(message.timestamp, 'message timestamp');
  checkString(message.text, 'message text', LIMITS.maxTextLength);
  checkString(message.contentType, 'message contentType', LIMITS.maxNameLength);
  checkString(message.responseTo, 'message responseTo', LIMITS.maxNameLength);
  checkString(message.ensName, 'message ensName', LIMITS.maxNameLength);
  if (message.content !== undefined) validateContent(message.content);
  checkBytes(message.raw, 'message raw', LIMITS.maxBytes);
  checkFlag(message.outgoing, 'message outgoing');
  if (message.deliveryState !== undefined) {
    if (!message.outgoing) invalid('message deliveryState', 'only an outgoing message has one');
    validateDeliveryState(message.deliveryState);
  }
}

/** Checks a reaction to save. */
export function validateReaction(reaction: StoredReaction): void {
  checkObject(reaction, 'reaction');
  checkMessageId(reaction.id, 'reaction id');
  validateChatId(reaction.chatId);
  checkMessageId(reaction.messageId, 'reaction messageId');
  checkPublicKey(reaction.author, 'reaction author');
  checkString(reaction.emoji, 'reaction emoji', LIMITS.maxNameLength, false);
  checkCount(reaction.clock, 'reaction clock');
  checkFlag(reaction.retracted, 'reaction retracted');
}

/** Checks a contact to upsert. */
export function validateContactInput(contact: ContactInput): void {
  checkObject(contact, 'contact');
  checkPublicKey(contact.key, 'contact key');
  if (contact.ensName !== undefined) checkString(contact.ensName, 'contact ensName', LIMITS.maxNameLength);
  if (contact.nickname !== undefined) checkString(contact.nickname, 'contact nickname', LIMITS.maxNameLength);
  if (contact.added !== undefined) checkFlag(contact.added, 'contact added');
  if (contact.blocked !== undefined) checkFlag(contact.blocked, 'contact blocked');
  if (contact.profileImage !== undefined) {
    checkString(contact.profileImage, 'contact profileImage', LIMITS.maxProfileImageLength);
  }
  if (contact.lastUpdateClock !== undefined) checkCount(contact.lastUpdateClock, 'contact lastUpdateClock');
  if (contact.lastProfileSentAt !== undefined) {
    checkCount(contact.lastProfileSentAt, 'contact lastProfileSentAt');
  }
}

/** Checks a received contact update. */
export function validateContactUpdate(key: string, update: ContactUpdateInput): void {
  checkPublicKey(key, 'contact key');
  checkObject(update, 'contact update');
  checkCount(update.clock, 'contact update clock');
  checkString(update.ensName, 'contact update ensName', LIMITS.maxNameLength);
  checkString(update.profileImage, 'contact update profileImage', LIMITS.maxProfileImageLength);
}

/** Checks an installation to upsert. */
export function validateInstallationInput(installation: InstallationInput): void {
  checkObject(installation, 'installation');
  checkString(installation.id, 'installation id', LIMITS.maxNameLength, false);
  const { deviceType, name, enabled, lastSeen } = installation;
  if (deviceType !== undefined) checkString(deviceType, 'installation deviceType', LIMITS.maxNameLength);
  if (name !== undefined) checkString(name, 'installation name', LIMITS.maxNameLength);
  if (enabled !== undefined) checkFlag(enabled, 'installation enabled');
  if (lastSeen !== undefined) checkCount(lastSeen, 'installation lastSeen');
}

/** Checks a Waku topic (4 bytes). */
export function validateTopic(topic: Uint8Array): void {
  if (!(topic instanceof Uint8Array) || topic.length !== TOPIC_BYTES) {
    invalid('topic', `must be a Uint8Array of ${TOPIC_BYTES} bytes`);
  }
}

/** Checks a list of topics (at most a batch). */
export function validateTopics(topics: readonly Uint8Array[]): void {
  checkArray(topics, 'topics', LIMITS.maxBatchSize);
  for (const topic of topics) validateTopic(topic);
}

/** Checks a page size or a result limit: 1 to `maxPageSize`. */
export function validatePageSize(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) invalid('limit', 'must be an integer >= 1', { limit });
  checkLimit(limit, LIMITS.maxPageSize, 'limit');
}
