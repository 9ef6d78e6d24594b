import { create } from '@bufbuild/protobuf';
import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { oneToOneChatId } from '../chat-id.js';
import { validateClock } from '../clock.js';
import { decodeEnum, type EnumName, enumValueOf } from '../enums.js';
import { checkText } from '../go-text.js';
import {
  EmojiReaction_TypeSchema,
  type EmojiReaction as EmojiReactionProto,
  EmojiReactionSchema,
  type EmojiReaction_Type as EmojiReactionTypeEnum,
  type MessageType,
  MessageTypeSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import {
  decodeMessage,
  encodeMessage,
  invalidField,
  type MessageDecodeOptions,
  requireClock,
  requireNonEmpty,
} from './codec.js';

/** The emoji of a reaction; `UNKNOWN_EMOJI_REACTION_TYPE` also stands for a number a newer proto adds. */
export type EmojiReactionType = EnumName<typeof EmojiReactionTypeEnum>;

/** The kind of chat a reaction belongs to (`UNKNOWN_MESSAGE_TYPE` also for unknown numbers). */
export type EmojiReactionChatType = EnumName<typeof MessageType>;

/**
 * EMOJI_REACTION: a reaction to a message, or its retraction. A retraction repeats the reaction with a
 * higher clock and `retracted: true`; the receiver keeps, per reaction id (see emojiReactionId), the
 * version with the highest clock.
 */
export interface EmojiReaction {
  /** Lamport clock in the chat. */
  readonly clock: number;
  /** Chat of the target message, as ChatMessage.chat_id writes it. */
  readonly chatId: string;
  /** Id of the message reacted to (`0x` + hex). */
  readonly messageId: string;
  /** Kind of the chat. */
  readonly messageType: EmojiReactionChatType;
  /** The emoji. */
  readonly type: EmojiReactionType;
  /** True when this takes back an earlier reaction with the same id. */
  readonly retracted: boolean;
}

// Static part of ValidateReceivedEmojiReaction, in status-go's order.
function checkEmojiReaction(reaction: EmojiReaction): void {
  requireNonEmpty(reaction.messageId, 'messageId');
  requireNonEmpty(reaction.chatId, 'chatId');
  if (reaction.type === 'UNKNOWN_EMOJI_REACTION_TYPE')
    throw invalidField('type', 'unknown emoji reaction type');
  if (reaction.messageType === 'UNKNOWN_MESSAGE_TYPE')
    throw invalidField('messageType', 'unknown message type');
}

/**
 * status-go's ValidateReceivedEmojiReaction: the clock rule, then non-empty message id and chat id, a
 * known emoji and a known chat type. ERR_PAYLOAD_INVALID_FIELD otherwise. Note status-go compares the
 * clock with its current time here, not with the envelope time: pass `Date.now()` to do the same.
 * status-go refuses only type 0; a number a newer proto adds decodes to the unknown name and is refused
 * here too.
 */
export function validateEmojiReaction(reaction: EmojiReaction, envelopeTimeMs: number): void {
  validateClock(reaction.clock, envelopeTimeMs);
  checkEmojiReaction(reaction);
}

/** A retraction of `reaction`: the same reaction at a new (higher) clock with `retracted` set. */
export function retractEmojiReaction(reaction: EmojiReaction, clock: number): EmojiReaction {
  return { ...reaction, clock, retracted: true };
}

/**
 * The typed reaction as the generated protobuf-es message, for embedding (MembershipUpdateMessage's
 * emoji_reaction). Refuses what validateEmojiReaction would (ERR_PAYLOAD_INVALID_FIELD).
 */
export function emojiReactionToProto(reaction: EmojiReaction): EmojiReactionProto {
  requireClock(reaction.clock);
  checkEmojiReaction(reaction);
  checkText(reaction.chatId, 'chatId');
  checkText(reaction.messageId, 'messageId');
  return create(EmojiReactionSchema, {
    clock: numberToUint64(reaction.clock, 'clock'),
    chatId: reaction.chatId,
    messageId: reaction.messageId,
    messageType: enumValueOf(MessageTypeSchema, reaction.messageType),
    type: enumValueOf(EmojiReaction_TypeSchema, reaction.type),
    retracted: reaction.retracted,
  });
}

/** The typed view of a generated EmojiReaction (for one decoded inside another message); no validation. */
export function emojiReactionFromProto(message: EmojiReactionProto): EmojiReaction {
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    chatId: message.chatId,
    messageId: message.messageId,
    messageType: decodeEnum<EmojiReactionChatType>(
      MessageTypeSchema,
      message.messageType,
      'UNKNOWN_MESSAGE_TYPE',
    ),
    type: decodeEnum<EmojiReactionType>(
      EmojiReaction_TypeSchema,
      message.type,
      'UNKNOWN_EMOJI_REACTION_TYPE',
    ),
    retracted: message.retracted,
  };
}

/** Serializes an EmojiReaction; refuses what validateEmojiReaction would (ERR_PAYLOAD_INVALID_FIELD). */
export function encodeEmojiReaction(reaction: EmojiReaction): Uint8Array {
  return encodeMessage(EmojiReactionSchema, emojiReactionToProto(reaction));
}

/** Parses an EmojiReaction; unknown fields are skipped, unknown enum numbers give the unknown names. */
export function decodeEmojiReaction(bytes: Uint8Array, options?: MessageDecodeOptions): EmojiReaction {
  return emojiReactionFromProto(decodeMessage(EmojiReactionSchema, bytes, options));
}

/**
 * status-go's EmojiReaction.ID(): `0x` + hex of Keccak-256 over the UTF-8 of the author's contact id
 * (`0x04…`, lowercase), the target message id and the emoji's number in decimal, concatenated. A
 * reaction and its retraction share it. `author` is the signer's public key in any form.
 */
export function emojiReactionId(
  author: Uint8Array,
  reaction: Pick<EmojiReaction, 'messageId' | 'type'>,
): string {
  const typeNumber = enumValueOf(EmojiReaction_TypeSchema, reaction.type);
  const material = `${oneToOneChatId(author)}${reaction.messageId}${typeNumber}`;
  return `0x${bytesToHex(keccak256(utf8ToBytes(material)))}`;
}
