import { invalid } from './checks.js';
import type {
  ChatInput,
  ContactInput,
  ContactUpdateInput,
  InstallationInput,
  NewMessage,
  StoredChat,
  StoredContact,
  StoredInstallation,
  StoredMessage,
} from './types.js';

// The rules that turn an input into the record to store, in one place so that every store implementation
// (memory, SQLite) merges, defaults and counts the same way. Inputs are validated before they get here.

/** The chat after `input` is applied to `existing` (or the new chat), at `now`. */
export function mergeChat(existing: StoredChat | undefined, input: ChatInput, now: number): StoredChat {
  if (existing && existing.kind !== input.kind) {
    invalid('chat kind', `chat ${input.id} is ${existing.kind}, not ${input.kind}`, {
      stored: existing.kind,
      given: input.kind,
    });
  }
  return {
    id: input.id,
    kind: input.kind,
    name: input.name ?? existing?.name ?? '',
    active: input.active ?? existing?.active ?? true,
    lastClock: Math.max(existing?.lastClock ?? 0, input.lastClock ?? 0),
    unreadCount: existing?.unreadCount ?? 0,
    createdAt: existing?.createdAt ?? now,
    lastMessageAt: existing?.lastMessageAt ?? 0,
    membershipEvents: input.membershipEvents ?? existing?.membershipEvents ?? [],
  };
}

/** What a batch of new messages changes in one chat. */
export interface ChatActivity {
  readonly chatId: string;
  /** Highest clock among the new messages. */
  maxClock: number;
  /** Newest timestamp among the new messages. */
  maxTimestamp: number;
  /** New incoming messages: added to the unread count. */
  incoming: number;
}

/** Per chat, what the new messages of a batch change (see `MessageStore.saveMessages`). */
export function chatActivity(saved: readonly NewMessage[]): ChatActivity[] {
  const byChat = new Map<string, ChatActivity>();
  for (const m of saved) {
    let activity = byChat.get(m.chatId);
    if (!activity) {
      activity = { chatId: m.chatId, maxClock: 0, maxTimestamp: 0, incoming: 0 };
      byChat.set(m.chatId, activity);
    }
    activity.maxClock = Math.max(activity.maxClock, m.clock);
    activity.maxTimestamp = Math.max(activity.maxTimestamp, m.timestamp);
    if (!m.outgoing) activity.incoming++;
  }
  return [...byChat.values()];
}

/** The chat after `activity`. */
export function chatAfter(chat: StoredChat, activity: ChatActivity): StoredChat {
  return {
    ...chat,
    lastClock: Math.max(chat.lastClock, activity.maxClock),
    lastMessageAt: Math.max(chat.lastMessageAt, activity.maxTimestamp),
    unreadCount: chat.unreadCount + activity.incoming,
  };
}

/**
 * The stored form of a new message, saved at `now`: every field present (undefined when absent), so each
 * store hands out the same shape; an outgoing message starts in its given state, 'sending' by default.
 */
export function messageRecord(m: NewMessage, now: number): StoredMessage {
  return {
    id: m.id,
    chatId: m.chatId,
    author: m.author,
    clock: m.clock,
    timestamp: m.timestamp,
    text: m.text,
    contentType: m.contentType,
    responseTo: m.responseTo,
    ensName: m.ensName,
    content: m.content,
    raw: m.raw,
    outgoing: m.outgoing,
    deliveryState: m.outgoing ? (m.deliveryState ?? 'sending') : undefined,
    deliveryStateAt: m.outgoing ? now : undefined,
  };
}

/** The contact after `input` is applied to `existing` (or the new contact). */
export function mergeContact(existing: StoredContact | undefined, input: ContactInput): StoredContact {
  return {
    key: input.key,
    ensName: input.ensName ?? existing?.ensName ?? '',
    nickname: input.nickname ?? existing?.nickname ?? '',
    added: input.added ?? existing?.added ?? false,
    blocked: input.blocked ?? existing?.blocked ?? false,
    profileImage: input.profileImage ?? existing?.profileImage ?? '',
    lastUpdateClock: input.lastUpdateClock ?? existing?.lastUpdateClock ?? 0,
    lastProfileSentAt: input.lastProfileSentAt ?? existing?.lastProfileSentAt ?? 0,
  };
}

/** The contact after a contact update signed by `key`, or undefined when its clock is not newer. */
export function contactAfterUpdate(
  existing: StoredContact | undefined,
  key: string,
  update: ContactUpdateInput,
): StoredContact | undefined {
  if (update.clock <= (existing?.lastUpdateClock ?? 0)) return undefined;
  return mergeContact(existing, {
    key,
    ensName: update.ensName,
    profileImage: update.profileImage,
    lastUpdateClock: update.clock,
  });
}

/** The installation after `input` is applied to `existing` (or the new, disabled one); `lastSeen` only rises. */
export function mergeInstallation(
  existing: StoredInstallation | undefined,
  input: InstallationInput,
): StoredInstallation {
  return {
    id: input.id,
    deviceType: input.deviceType ?? existing?.deviceType ?? '',
    name: input.name ?? existing?.name ?? '',
    // Off until the user pairs it (as status-go): sync messages must not go to a device nobody approved.
    enabled: input.enabled ?? existing?.enabled ?? false,
    lastSeen: Math.max(existing?.lastSeen ?? 0, input.lastSeen ?? 0),
  };
}
