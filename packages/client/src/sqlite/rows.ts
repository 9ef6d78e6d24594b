import type {
  DeliveryState,
  StoredChat,
  StoredChatKind,
  StoredContact,
  StoredInstallation,
  StoredMessage,
  StoredMessageContent,
  StoredReaction,
} from '../store/types.js';

// Rows as better-sqlite3 returns them, and the mapping between them and the store's records.

/** better-sqlite3 hands BLOBs out as Buffers; the public API speaks plain Uint8Array. */
export const u8 = (value: Uint8Array): Uint8Array => new Uint8Array(value);
const flag = (value: boolean): number => (value ? 1 : 0);

/** A `client_chats` row. */
export interface ChatRow {
  id: string;
  kind: StoredChatKind;
  name: string;
  active: number;
  last_clock: number;
  unread_count: number;
  created_at: number;
  last_message_at: number;
}

/** The chat of a row and its membership events. */
export function toChat(row: ChatRow, events: readonly Uint8Array[]): StoredChat {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    active: row.active === 1,
    lastClock: row.last_clock,
    unreadCount: row.unread_count,
    createdAt: row.created_at,
    lastMessageAt: row.last_message_at,
    membershipEvents: events.map(u8),
  };
}

/** `client_chats` values in column order. */
export function chatParams(c: StoredChat): unknown[] {
  return [c.id, c.kind, c.name, flag(c.active), c.lastClock, c.unreadCount, c.createdAt, c.lastMessageAt];
}

/** A `client_messages` row. */
export interface MessageRow {
  id: string;
  chat_id: string;
  author: string;
  clock: number;
  timestamp: number;
  text: string;
  content_type: string;
  response_to: string;
  ens_name: string;
  content_kind: StoredMessageContent['kind'] | null;
  sticker_hash: string | null;
  sticker_pack: number | null;
  media: Uint8Array | null;
  media_type: string | null;
  duration_ms: number | null;
  raw: Uint8Array;
  outgoing: number;
  delivery_state: DeliveryState | null;
  delivery_state_at: number | null;
}

/** The `client_messages` columns, in the order of `messageParams`. */
export const MESSAGE_COLUMNS =
  'id, chat_id, author, clock, timestamp, text, content_type, response_to, ens_name, content_kind, ' +
  'sticker_hash, sticker_pack, media, media_type, duration_ms, raw, outgoing, delivery_state, delivery_state_at';

function toContent(row: MessageRow): StoredMessageContent | undefined {
  switch (row.content_kind) {
    case 'sticker':
      return { kind: 'sticker', hash: row.sticker_hash ?? '', pack: row.sticker_pack ?? 0 };
    case 'image':
      return { kind: 'image', payload: u8(row.media ?? new Uint8Array()), imageType: row.media_type ?? '' };
    case 'audio':
      return {
        kind: 'audio',
        payload: u8(row.media ?? new Uint8Array()),
        audioType: row.media_type ?? '',
        durationMs: row.duration_ms ?? 0,
      };
    default:
      return undefined;
  }
}

/** The message of a row. */
export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    chatId: row.chat_id,
    author: row.author,
    clock: row.clock,
    timestamp: row.timestamp,
    text: row.text,
    contentType: row.content_type,
    responseTo: row.response_to,
    ensName: row.ens_name,
    content: toContent(row),
    raw: u8(row.raw),
    outgoing: row.outgoing === 1,
    deliveryState: row.delivery_state ?? undefined,
    deliveryStateAt: row.delivery_state_at ?? undefined,
  };
}

/** `client_messages` values in `MESSAGE_COLUMNS` order. */
export function messageParams(m: StoredMessage): unknown[] {
  const c = m.content;
  return [
    m.id,
    m.chatId,
    m.author,
    m.clock,
    m.timestamp,
    m.text,
    m.contentType,
    m.responseTo,
    m.ensName,
    c?.kind ?? null,
    c?.kind === 'sticker' ? c.hash : null,
    c?.kind === 'sticker' ? c.pack : null,
    c && c.kind !== 'sticker' ? c.payload : null,
    c?.kind === 'image' ? c.imageType : c?.kind === 'audio' ? c.audioType : null,
    c?.kind === 'audio' ? c.durationMs : null,
    m.raw,
    flag(m.outgoing),
    m.deliveryState ?? null,
    m.deliveryStateAt ?? null,
  ];
}

/** A `client_reactions` row. */
export interface ReactionRow {
  id: string;
  chat_id: string;
  message_id: string;
  author: string;
  emoji: string;
  clock: number;
  retracted: number;
}

/** The reaction of a row. */
export function toReaction(row: ReactionRow): StoredReaction {
  return {
    id: row.id,
    chatId: row.chat_id,
    messageId: row.message_id,
    author: row.author,
    emoji: row.emoji,
    clock: row.clock,
    retracted: row.retracted === 1,
  };
}

/** `client_reactions` values in column order. */
export function reactionParams(r: StoredReaction): unknown[] {
  return [r.id, r.chatId, r.messageId, r.author, r.emoji, r.clock, flag(r.retracted)];
}

/** A `client_contacts` row. */
export interface ContactRow {
  key: string;
  ens_name: string;
  nickname: string;
  added: number;
  blocked: number;
  profile_image: string;
  last_update_clock: number;
  last_profile_sent_at: number;
}

/** The contact of a row. */
export function toContact(row: ContactRow): StoredContact {
  return {
    key: row.key,
    ensName: row.ens_name,
    nickname: row.nickname,
    added: row.added === 1,
    blocked: row.blocked === 1,
    profileImage: row.profile_image,
    lastUpdateClock: row.last_update_clock,
    lastProfileSentAt: row.last_profile_sent_at,
  };
}

/** `client_contacts` values in column order. */
export function contactParams(c: StoredContact): unknown[] {
  return [
    c.key,
    c.ensName,
    c.nickname,
    flag(c.added),
    flag(c.blocked),
    c.profileImage,
    c.lastUpdateClock,
    c.lastProfileSentAt,
  ];
}

/** A `client_installations` row. */
export interface InstallationRow {
  id: string;
  device_type: string;
  name: string;
  enabled: number;
  last_seen: number;
}

/** The installation of a row. */
export function toInstallation(row: InstallationRow): StoredInstallation {
  return {
    id: row.id,
    deviceType: row.device_type,
    name: row.name,
    enabled: row.enabled === 1,
    lastSeen: row.last_seen,
  };
}

/** `client_installations` values in column order. */
export function installationParams(i: StoredInstallation): unknown[] {
  return [i.id, i.deviceType, i.name, flag(i.enabled), i.lastSeen];
}
