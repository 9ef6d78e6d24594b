import type { EnumName } from './enums.js';
import type {
  AudioMessage_AudioType,
  ChatMessage_ContentType,
  ImageMessage_ImageType,
  MessageType as MessageTypeEnum,
} from './proto.js';

/** Who a chat entity is for (enums.proto MessageType). SYSTEM_MESSAGE_PRIVATE_GROUP is local only. */
export type MessageType = EnumName<typeof MessageTypeEnum>;
/** What a ChatMessage carries (ChatMessage.ContentType). */
export type ContentType = EnumName<typeof ChatMessage_ContentType>;
/** Image encodings status-go recognises by their magic bytes. */
export type ImageType = EnumName<typeof ImageMessage_ImageType>;
/** Audio encodings status-go recognises by their magic bytes. */
export type AudioType = EnumName<typeof AudioMessage_AudioType>;

/** A sticker from a sticker pack: the content hash (IPFS, as the pack lists it) and the pack id. */
export interface StickerContent {
  readonly kind: 'sticker';
  readonly hash: string;
  readonly pack: number;
}

/** An image sent inline. */
export interface ImageContent {
  readonly kind: 'image';
  readonly payload: Uint8Array;
  readonly imageType: ImageType;
}

/** A voice message sent inline. */
export interface AudioContent {
  readonly kind: 'audio';
  readonly payload: Uint8Array;
  readonly audioType: AudioType;
  readonly durationMs: number;
}

export type ChatMessageContent = StickerContent | ImageContent | AudioContent;

/**
 * A Status chat message (chat_message.proto, status-go v0.62.0) with every field. `clock` is the Lamport
 * clock that orders the chat, `timestamp` the sender's wall clock in ms; both are uint64 on the wire and
 * safe integers here.
 */
export interface ChatMessage {
  readonly clock: number;
  readonly timestamp: number;
  readonly text: string;
  /** Id (`0x…` hex) of the message this one replies to, or ''. */
  readonly responseTo: string;
  /** The sender's ENS name, or ''. */
  readonly ensName: string;
  readonly chatId: string;
  readonly messageType: MessageType;
  readonly contentType: ContentType;
  /** Sticker, image or audio (the proto's `payload` oneof); undefined for text. */
  readonly content?: ChatMessageContent | undefined;
}
