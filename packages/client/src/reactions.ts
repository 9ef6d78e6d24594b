import { bytesToHex } from '@status-ts/core';
import type { EmojiReaction, EmojiReactionType } from '@status-ts/payloads';
import { emojiReactionId } from '@status-ts/payloads';
import type { ChatKind } from './events.js';
import type { StoredReaction } from './store/types.js';

/** An emoji reaction as the node delivers it (received, or ours). */
export interface StatusReaction {
  /** status-go's reaction id: the same for a reaction and its retraction. */
  readonly id: string;
  readonly chatId: string;
  readonly chatKind: ChatKind;
  /** The message reacted to. */
  readonly messageId: string;
  readonly emoji: EmojiReactionType;
  /** `0x04…` key of who reacted. */
  readonly author: string;
  readonly clock: number;
  /** True when this takes the reaction back. */
  readonly retracted: boolean;
  readonly outgoing: boolean;
}

/** The app-facing reaction of a verified EmojiReaction by `author`, filed under `chatId`. */
export function toStatusReaction(
  reaction: EmojiReaction,
  author: Uint8Array,
  chatId: string,
  chatKind: ChatKind,
  self: string,
): StatusReaction {
  const authorId = `0x${bytesToHex(author)}`;
  return {
    id: emojiReactionId(author, reaction),
    chatId,
    chatKind,
    messageId: reaction.messageId,
    emoji: reaction.type,
    author: authorId,
    clock: reaction.clock,
    retracted: reaction.retracted,
    outgoing: authorId === self,
  };
}

export function toStoredReaction(reaction: StatusReaction): StoredReaction {
  return {
    id: reaction.id,
    chatId: reaction.chatId,
    messageId: reaction.messageId,
    author: reaction.author,
    emoji: reaction.emoji,
    clock: reaction.clock,
    retracted: reaction.retracted,
  };
}
