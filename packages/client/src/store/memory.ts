import {
  checkArray,
  checkCount,
  checkMessageId,
  checkObject,
  checkPublicKey,
  checkString,
  invalid,
} from './checks.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { deliveryStateApplies } from './delivery.js';
import { storeClosed, unknownChat, unknownMessage } from './errors.js';
import { MESSAGE_STORE_LIMITS as LIMITS } from './limits.js';
import type { MessageStore, MessageStoreOptions } from './message-store.js';
import {
  chatActivity,
  chatAfter,
  contactAfterUpdate,
  mergeChat,
  mergeContact,
  mergeInstallation,
  messageRecord,
} from './records.js';
import { compareText } from './text-order.js';
import { ChatTimeline } from './timeline.js';
import { topicFromKey, topicKey } from './topic.js';
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
  StoredMessageContent,
  StoredReaction,
  TopicSyncState,
} from './types.js';
import {
  validateChatId,
  validateChatInput,
  validateContactInput,
  validateContactUpdate,
  validateDeliveryState,
  validateInstallationInput,
  validateNewMessage,
  validatePageSize,
  validateReaction,
  validateTopic,
  validateTopics,
} from './validate.js';

// Records are copied in and out, so neither the caller nor a failed call can alter stored state. Every
// write validates all of its input before it changes anything: with nothing left that can throw, the
// change is applied whole, which is what a SQLite transaction gives the other store.

const copyContent = (c: StoredMessageContent | undefined): StoredMessageContent | undefined =>
  c && c.kind !== 'sticker' ? { ...c, payload: c.payload.slice() } : c && { ...c };
const copyMessage = (m: StoredMessage): StoredMessage => ({
  ...m,
  content: copyContent(m.content),
  raw: m.raw.slice(),
});
const copyChat = (c: StoredChat): StoredChat => ({
  ...c,
  membershipEvents: c.membershipEvents.map((e) => e.slice()),
});
function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareText(key(a), key(b));
}

/** A `MessageStore` in memory: for tests, and for clients that keep nothing across restarts. */
export class MemoryMessageStore implements MessageStore {
  readonly #now: () => number;
  #closed = false;
  readonly #chats = new Map<string, StoredChat>();
  readonly #messages = new Map<string, StoredMessage>();
  readonly #timelines = new Map<string, ChatTimeline>();
  readonly #deleted = new Set<string>();
  readonly #reactions = new Map<string, StoredReaction>();
  /** message id -> ids of its reactions */
  readonly #reactionsOf = new Map<string, Set<string>>();
  readonly #contacts = new Map<string, StoredContact>();
  /** topic hex -> unix seconds */
  readonly #history = new Map<string, number>();
  readonly #installations = new Map<string, StoredInstallation>();

  constructor(options: MessageStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  #open(): void {
    if (this.#closed) throw storeClosed();
  }

  async upsertChat(input: ChatInput): Promise<StoredChat> {
    this.#open();
    validateChatInput(input);
    const chat = mergeChat(this.#chats.get(input.id), input, this.#now());
    this.#chats.set(chat.id, copyChat(chat));
    return copyChat(chat);
  }

  async getChat(id: string): Promise<StoredChat | undefined> {
    this.#open();
    validateChatId(id);
    const chat = this.#chats.get(id);
    return chat && copyChat(chat);
  }

  async listChats(options: { readonly includeInactive?: boolean } = {}): Promise<StoredChat[]> {
    this.#open();
    return [...this.#chats.values()]
      .filter((c) => c.active || options?.includeInactive === true)
      .sort((a, b) => b.lastMessageAt - a.lastMessageAt || compareText(a.id, b.id))
      .map(copyChat);
  }

  async deactivateChat(id: string): Promise<boolean> {
    return this.#updateChat(id, (chat) => (chat.active ? { ...chat, active: false } : undefined));
  }

  async markChatRead(id: string): Promise<boolean> {
    return this.#updateChat(id, (chat) => ({ ...chat, unreadCount: 0 }));
  }

  #updateChat(id: string, change: (chat: StoredChat) => StoredChat | undefined): boolean {
    this.#open();
    validateChatId(id);
    const chat = this.#chats.get(id);
    const next = chat && change(chat);
    if (next) this.#chats.set(id, next);
    return next !== undefined;
  }

  async saveMessages(batch: readonly NewMessage[]): Promise<boolean[]> {
    this.#open();
    checkArray(batch, 'messages', LIMITS.maxBatchSize);
    for (const message of batch) validateNewMessage(message);
    for (const { chatId } of batch) if (!this.#chats.has(chatId)) throw unknownChat(chatId);
    const now = this.#now();
    const seen = new Set<string>();
    const isNew = batch.map((m) => {
      const fresh = !this.#messages.has(m.id) && !this.#deleted.has(m.id) && !seen.has(m.id);
      seen.add(m.id);
      return fresh;
    });
    const saved = batch.filter((_, i) => isNew[i]);
    for (const m of saved) {
      this.#messages.set(m.id, copyMessage(messageRecord(m, now)));
      this.#timeline(m.chatId).insert(m);
    }
    for (const activity of chatActivity(saved)) {
      this.#chats.set(activity.chatId, chatAfter(this.#chats.get(activity.chatId)!, activity));
    }
    return isNew;
  }

  #timeline(chatId: string): ChatTimeline {
    let timeline = this.#timelines.get(chatId);
    if (!timeline) {
      timeline = new ChatTimeline();
      this.#timelines.set(chatId, timeline);
    }
    return timeline;
  }

  async hasMessage(id: string): Promise<boolean> {
    this.#open();
    checkMessageId(id, 'message id');
    return this.#messages.has(id) || this.#deleted.has(id);
  }

  async getMessage(id: string): Promise<StoredMessage | undefined> {
    this.#open();
    checkMessageId(id, 'message id');
    const message = this.#messages.get(id);
    return message && copyMessage(message);
  }

  async messages(chatId: string, options: MessagePageOptions): Promise<MessagePage> {
    this.#open();
    validateChatId(chatId);
    checkObject(options, 'options');
    validatePageSize(options.limit);
    const before = options.before === undefined ? undefined : decodeCursor(options.before);
    const timeline = this.#timelines.get(chatId);
    if (!timeline) return { messages: [], cursor: undefined };
    const { positions, more } = timeline.page(before, options.limit);
    const messages = positions.map((p) => copyMessage(this.#messages.get(p.id)!));
    return { messages, cursor: more && messages[0] ? encodeCursor(messages[0]) : undefined };
  }

  async setDeliveryState(id: string, state: DeliveryState): Promise<boolean> {
    this.#open();
    checkMessageId(id, 'message id');
    validateDeliveryState(state);
    const message = this.#messages.get(id);
    if (!message) throw unknownMessage(id);
    if (!message.outgoing) invalid('message', 'an incoming message has no delivery state', { id });
    if (!deliveryStateApplies(message.deliveryState, state)) return false;
    this.#messages.set(id, { ...message, deliveryState: state, deliveryStateAt: this.#now() });
    return true;
  }

  async messagesInDeliveryState(states: readonly DeliveryState[], limit: number): Promise<StoredMessage[]> {
    this.#open();
    checkArray(states, 'states', LIMITS.maxBatchSize);
    for (const state of states) validateDeliveryState(state);
    validatePageSize(limit);
    return [...this.#messages.values()]
      .filter((m) => m.deliveryState !== undefined && states.includes(m.deliveryState))
      .sort((a, b) => a.deliveryStateAt! - b.deliveryStateAt! || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(copyMessage);
  }

  async deleteMessage(id: string): Promise<boolean> {
    this.#open();
    checkMessageId(id, 'message id');
    const message = this.#messages.get(id);
    this.#deleted.add(id);
    if (!message) return false;
    this.#messages.delete(id);
    this.#timelines.get(message.chatId)?.remove(message);
    for (const reactionId of this.#reactionsOf.get(id) ?? []) this.#reactions.delete(reactionId);
    this.#reactionsOf.delete(id);
    return true;
  }

  async saveReactions(batch: readonly StoredReaction[]): Promise<boolean[]> {
    this.#open();
    checkArray(batch, 'reactions', LIMITS.maxBatchSize);
    for (const reaction of batch) validateReaction(reaction);
    for (const { chatId } of batch) if (!this.#chats.has(chatId)) throw unknownChat(chatId);
    return batch.map((reaction) => {
      const stored = this.#reactions.get(reaction.id);
      if (stored && reaction.clock <= stored.clock) return false;
      if (stored) this.#reactionsOf.get(stored.messageId)?.delete(stored.id);
      this.#reactions.set(reaction.id, { ...reaction });
      let ids = this.#reactionsOf.get(reaction.messageId);
      if (!ids) {
        ids = new Set();
        this.#reactionsOf.set(reaction.messageId, ids);
      }
      ids.add(reaction.id);
      return true;
    });
  }

  async getReaction(id: string): Promise<StoredReaction | undefined> {
    this.#open();
    checkMessageId(id, 'reaction id');
    const reaction = this.#reactions.get(id);
    return reaction && { ...reaction };
  }

  async reactions(messageId: string): Promise<StoredReaction[]> {
    this.#open();
    checkMessageId(messageId, 'message id');
    return [...(this.#reactionsOf.get(messageId) ?? [])]
      .map((id) => this.#reactions.get(id)!)
      .filter((r) => !r.retracted)
      .sort((a, b) => a.clock - b.clock || (a.id < b.id ? -1 : 1))
      .map((r) => ({ ...r }));
  }

  async upsertContact(input: ContactInput): Promise<StoredContact> {
    this.#open();
    validateContactInput(input);
    const contact = mergeContact(this.#contacts.get(input.key), input);
    this.#contacts.set(contact.key, contact);
    return { ...contact };
  }

  async applyContactUpdate(key: string, update: ContactUpdateInput): Promise<boolean> {
    this.#open();
    validateContactUpdate(key, update);
    const contact = contactAfterUpdate(this.#contacts.get(key), key, update);
    if (contact) this.#contacts.set(key, contact);
    return contact !== undefined;
  }

  async getContact(key: string): Promise<StoredContact | undefined> {
    this.#open();
    checkPublicKey(key, 'contact key');
    const contact = this.#contacts.get(key);
    return contact && { ...contact };
  }

  async listContacts(): Promise<StoredContact[]> {
    this.#open();
    return [...this.#contacts.values()].sort(byKey((c) => c.key)).map((c) => ({ ...c }));
  }

  async historySyncedUntil(topic: Uint8Array): Promise<number | undefined> {
    this.#open();
    validateTopic(topic);
    return this.#history.get(topicKey(topic));
  }

  async markHistorySynced(topics: readonly Uint8Array[], until: number): Promise<void> {
    this.#open();
    validateTopics(topics);
    checkCount(until, 'until');
    for (const topic of topics) {
      const key = topicKey(topic);
      this.#history.set(key, Math.max(this.#history.get(key) ?? 0, until));
    }
  }

  async historySyncState(): Promise<TopicSyncState[]> {
    this.#open();
    return [...this.#history.keys()]
      .sort()
      .map((key) => ({ topic: topicFromKey(key), syncedUntil: this.#history.get(key)! }));
  }

  async forgetHistorySync(topics: readonly Uint8Array[]): Promise<void> {
    this.#open();
    validateTopics(topics);
    for (const topic of topics) this.#history.delete(topicKey(topic));
  }

  async upsertInstallation(input: InstallationInput): Promise<StoredInstallation> {
    this.#open();
    validateInstallationInput(input);
    const installation = mergeInstallation(this.#installations.get(input.id), input);
    this.#installations.set(installation.id, installation);
    return { ...installation };
  }

  async getInstallation(id: string): Promise<StoredInstallation | undefined> {
    this.#open();
    checkString(id, 'installation id', LIMITS.maxNameLength, false);
    const installation = this.#installations.get(id);
    return installation && { ...installation };
  }

  async listInstallations(): Promise<StoredInstallation[]> {
    this.#open();
    return [...this.#installations.values()].sort(byKey((i) => i.id)).map((i) => ({ ...i }));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
