// The records of a Status client's message store, as plain interfaces: the node maps @status-ts/payloads
// messages onto them, so a store implementation never depends on protobuf types. Ids and keys are
// lowercase hex strings with `0x` (as status-go writes them in chat ids, message ids and JSON), times are
// milliseconds since the Unix epoch unless a field says otherwise, clocks are Lamport clocks (safe integers).

/** What kind of chat: a public channel, a 1:1 chat, or a private group. */
export type StoredChatKind = 'public' | 'one-to-one' | 'group';

/** A chat the client knows, joined (`active`) or left. */
export interface StoredChat {
  /** Public chat name, `0x04…` key of the peer (1:1), or the group id. */
  readonly id: string;
  readonly kind: StoredChatKind;
  /** Display name ('' when none was given). */
  readonly name: string;
  /** Joined: the client listens to it and lists it. */
  readonly active: boolean;
  /** Highest Lamport clock seen in the chat (0 for none): the next message takes `max(now, lastClock + 1)`. */
  readonly lastClock: number;
  /** Incoming messages saved since the chat was last marked read. */
  readonly unreadCount: number;
  /** When the store first saw the chat. */
  readonly createdAt: number;
  /** Highest `timestamp` of the messages saved to it, 0 for none: chat lists sort by it. */
  readonly lastMessageAt: number;
  /** Groups: the raw membership update events, in the order given, to re-derive the group; [] otherwise. */
  readonly membershipEvents: readonly Uint8Array[];
}

/**
 * A chat to create or update. On creation the omitted fields take their defaults ('' name, active, no
 * events); on update an omitted field keeps its value. `kind` never changes.
 */
export interface ChatInput {
  readonly id: string;
  readonly kind: StoredChatKind;
  readonly name?: string;
  readonly active?: boolean;
  /** Replaces the stored events when given (groups only). */
  readonly membershipEvents?: readonly Uint8Array[];
  /** Raises the chat's clock to this value if it is higher; a clock is never lowered. */
  readonly lastClock?: number;
}

/**
 * Where an outgoing message is: being sent, handed to the network, seen by a peer (envelope confirmation),
 * acknowledged by the recipient (MVDS ack), or given up on.
 */
export type DeliveryState = 'sending' | 'sent' | 'confirmed' | 'acknowledged' | 'failed';

/** A sticker: its content hash as the pack lists it, and the pack id. */
export interface StoredStickerContent {
  readonly kind: 'sticker';
  readonly hash: string;
  readonly pack: number;
}

/** An image sent inline, with its type name (`PNG`, `JPEG`, …). */
export interface StoredImageContent {
  readonly kind: 'image';
  readonly payload: Uint8Array;
  readonly imageType: string;
}

/** A voice message sent inline, with its type name (`AAC`, `AMR`) and length. */
export interface StoredAudioContent {
  readonly kind: 'audio';
  readonly payload: Uint8Array;
  readonly audioType: string;
  readonly durationMs: number;
}

/** The non-text part of a message (shaped like the ChatMessage `payload` oneof of @status-ts/payloads). */
export type StoredMessageContent = StoredStickerContent | StoredImageContent | StoredAudioContent;

/** A message to save. */
export interface NewMessage {
  /** `0x` + 64 hex digits (the status-go message id). */
  readonly id: string;
  /** A chat already in the store. */
  readonly chatId: string;
  /** `0x04…` key of the author. */
  readonly author: string;
  /** Lamport clock in the chat. */
  readonly clock: number;
  /** The sender's wall clock. */
  readonly timestamp: number;
  readonly text: string;
  /** ChatMessage content type name (`TEXT_PLAIN`, `STICKER`, …). */
  readonly contentType: string;
  /** Id of the message this one replies to, or ''. */
  readonly responseTo: string;
  /** The author's ENS name, or ''. */
  readonly ensName: string;
  readonly content?: StoredMessageContent | undefined;
  /** The signed ApplicationMetadataMessage as received or sent: to re-send it or verify it again. */
  readonly raw: Uint8Array;
  /** True for a message we sent (from this device or another of ours). */
  readonly outgoing: boolean;
  /** Outgoing only (default 'sending'); an incoming message has none. */
  readonly deliveryState?: DeliveryState | undefined;
}

/** A stored message: what was saved, with the delivery state of an outgoing one and when it last changed. */
export interface StoredMessage extends Omit<NewMessage, 'deliveryState'> {
  readonly deliveryState: DeliveryState | undefined;
  readonly deliveryStateAt: number | undefined;
}

/** One page of a chat, oldest first. */
export interface MessagePage {
  readonly messages: StoredMessage[];
  /** Pass as `before` for the page of older messages; undefined when this page reaches the first one. */
  readonly cursor: string | undefined;
}

/** Which page of a chat: the newest `limit` messages before `before` (the newest ones without it). */
export interface MessagePageOptions {
  readonly limit: number;
  readonly before?: string | undefined;
}

/**
 * An emoji reaction, or its retraction, keyed by its reaction id: per id the version with the highest clock
 * is kept, retractions included, so a late copy of the reaction cannot bring it back.
 */
export interface StoredReaction {
  /** `0x` + 64 hex digits (payloads' `emojiReactionId`). */
  readonly id: string;
  readonly chatId: string;
  /** The message reacted to (it need not be stored yet). */
  readonly messageId: string;
  /** `0x04…` key of who reacted. */
  readonly author: string;
  /** Emoji name (`LOVE`, `THUMBS_UP`, …). */
  readonly emoji: string;
  readonly clock: number;
  readonly retracted: boolean;
}

/** Someone we know of: added as a contact, blocked, or just heard from. */
export interface StoredContact {
  /** `0x04…` public key. */
  readonly key: string;
  /** ENS name from their last contact update, or ''. */
  readonly ensName: string;
  /** Our own name for them, or ''. */
  readonly nickname: string;
  readonly added: boolean;
  readonly blocked: boolean;
  /** Their profile image as contact updates carry it (a data URI), or ''. */
  readonly profileImage: string;
  /** Clock of the last contact update applied (0 for none): older updates are ignored. */
  readonly lastUpdateClock: number;
  /** When we last sent them our own contact update (0 for never): for the 48 h resend rule. */
  readonly lastProfileSentAt: number;
}

/** A contact to create or update: omitted fields keep their value (or their default on creation). */
export type ContactInput = { readonly key: string } & Partial<Omit<StoredContact, 'key'>>;

/** A contact update (CONTACT_UPDATE) received from the contact itself. */
export interface ContactUpdateInput {
  readonly clock: number;
  readonly ensName: string;
  readonly profileImage: string;
}

/** How far the history of one Waku topic has been fetched. */
export interface TopicSyncState {
  /** The 4-byte topic. */
  readonly topic: Uint8Array;
  /** Unix seconds up to which history was fetched successfully. */
  readonly syncedUntil: number;
}

/** A device of our own account (pairing). */
export interface StoredInstallation {
  /** Installation id (a UUID in status-go). */
  readonly id: string;
  readonly deviceType: string;
  readonly name: string;
  /** Enabled devices receive our sync messages and messages for us. */
  readonly enabled: boolean;
  /** When we last heard from it (0 for never); never lowered. */
  readonly lastSeen: number;
}

/** An installation to create or update: omitted fields keep their value (or their default on creation). */
export type InstallationInput = { readonly id: string } & Partial<Omit<StoredInstallation, 'id'>>;
