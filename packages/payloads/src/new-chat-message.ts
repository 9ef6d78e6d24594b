import { oneToOneChatId, publicChatId } from './chat-id.js';
import { checkChatMessage } from './chat-message.js';
import type { AudioType, ChatMessage, ContentType, ImageType } from './chat-message-types.js';
import { nextChatClock } from './clock.js';
import { detectAudioType, detectImageType } from './media.js';

/** Where a message goes: a public chat by name, a 1:1 chat by the peer's key, or a group by its id. */
export type ChatRef =
  | { readonly kind: 'public'; readonly name: string }
  | { readonly kind: 'one-to-one'; readonly peer: Uint8Array }
  | { readonly kind: 'group'; readonly chatId: string };

/** Content beside the text; image and audio types are sniffed from the bytes as status-go does. */
export type NewChatMessageContent =
  | { readonly kind: 'sticker'; readonly hash: string; readonly pack: number }
  | { readonly kind: 'image'; readonly payload: Uint8Array; readonly imageType?: ImageType }
  | {
      readonly kind: 'audio';
      readonly payload: Uint8Array;
      readonly durationMs: number;
      readonly audioType?: AudioType;
    };

/** Input of `newChatMessage`. */
export interface NewChatMessageInput {
  readonly chat: ChatRef;
  /** Required for text; for stickers, images and audio a placeholder is used when omitted. */
  readonly text?: string;
  readonly content?: NewChatMessageContent;
  /** Overrides the content type derived from `content` (e.g. EMOJI for an emoji-only text). */
  readonly contentType?: ContentType;
  readonly responseTo?: string;
  readonly ensName?: string;
  /** Wall clock in ms (timestamp, and the clock's lower bound). */
  readonly now: number;
  /** The highest clock seen in this chat so far (ours or received), if any. */
  readonly lastClock?: number;
}

/**
 * status-go requires non-blank text on every chat message, so the Status app puts a fallback text on
 * stickers, images and audio for clients that cannot show them; these are ours.
 */
export const PLACEHOLDER_TEXT = {
  sticker: 'Update to latest version to see a nice sticker here!',
  image: 'Update to latest version to see an image here!',
  audio: 'Update to latest version to listen to an audio message here!',
} as const;

const CONTENT_TYPE_OF = { sticker: 'STICKER', image: 'IMAGE', audio: 'AUDIO' } as const;

function chatFields(chat: ChatRef): Pick<ChatMessage, 'chatId' | 'messageType'> {
  switch (chat.kind) {
    case 'public':
      return { chatId: publicChatId(chat.name), messageType: 'PUBLIC_GROUP' };
    case 'one-to-one':
      return { chatId: oneToOneChatId(chat.peer), messageType: 'ONE_TO_ONE' };
    case 'group':
      return { chatId: chat.chatId, messageType: 'PRIVATE_GROUP' };
  }
}

/**
 * A new outgoing ChatMessage: chat id and message type from `chat`, `timestamp = now`, Lamport
 * `clock = max(now, lastClock + 1)`, content type from the content, checked as status-go would check it
 * on receipt (typed errors).
 */
export function newChatMessage(input: NewChatMessageInput): ChatMessage {
  const timestamp = Math.floor(input.now);
  const { content } = input;
  const message: ChatMessage = {
    clock: nextChatClock(input.lastClock, timestamp),
    timestamp,
    text: input.text ?? (content ? PLACEHOLDER_TEXT[content.kind] : ''),
    responseTo: input.responseTo ?? '',
    ensName: input.ensName ?? '',
    ...chatFields(input.chat),
    contentType: input.contentType ?? (content ? CONTENT_TYPE_OF[content.kind] : 'TEXT_PLAIN'),
    content:
      content?.kind === 'image'
        ? {
            kind: 'image',
            payload: content.payload,
            imageType: content.imageType ?? detectImageType(content.payload),
          }
        : content?.kind === 'audio'
          ? {
              kind: 'audio',
              payload: content.payload,
              durationMs: content.durationMs,
              audioType: content.audioType ?? detectAudioType(content.payload),
            }
          : content,
  };
  checkChatMessage(message, { sending: true });
  return message;
}
