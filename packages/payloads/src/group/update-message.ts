import { create, toBinary } from '@bufbuild/protobuf';
import { chatMessageFromProto, chatMessageToProto } from '../chat-message.js';
import type { ChatMessage } from '../chat-message-types.js';
import { validateClock } from '../clock.js';
import { decodeProto } from '../decode.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import {
  type EmojiReaction,
  emojiReactionFromProto,
  emojiReactionToProto,
} from '../messages/emoji-reaction.js';
import { MembershipUpdateMessageSchema } from '../proto.js';
import {
  MAX_GROUP_CHAT_ID_LENGTH,
  MAX_MEMBERSHIP_EVENTS_PER_UPDATE,
  MAX_MEMBERSHIP_UPDATE_BYTES,
} from './limits.js';
import type { SignedMembershipEvent } from './signed-event.js';
import { verifyMembershipEvent } from './signed-event.js';

/**
 * The chat message or emoji reaction a MembershipUpdateMessage may carry (status-go sends group chat
 * messages and reactions inside one, with the whole event log). Decoded structurally; validate the value
 * as its type requires (validateReceivedChatMessage, validateEmojiReaction).
 */
export type MembershipUpdateChatEntity =
  | { readonly case: 'message'; readonly value: ChatMessage }
  | { readonly case: 'emojiReaction'; readonly value: EmojiReaction };

/** What encodeMembershipUpdate sends. */
export interface MembershipUpdateInput {
  readonly chatId: string;
  /** The group's events (status-go sends its whole log), each signed for `chatId`. */
  readonly events: readonly SignedMembershipEvent[];
  readonly chatEntity?: MembershipUpdateChatEntity;
}

/** A wire entry that did not verify, with its position in `events` and why. */
export interface RejectedMembershipEntry {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly error: PayloadError;
}

/** A decoded MembershipUpdateMessage. */
export interface DecodedMembershipUpdate {
  readonly chatId: string;
  /** The entries that verified, in wire order, each with its recovered author. */
  readonly events: readonly SignedMembershipEvent[];
  /** The entries that did not (status-go would drop the whole message for any of them). */
  readonly rejected: readonly RejectedMembershipEntry[];
  /** All raw entries in wire order, for checkMembershipUpdate. */
  readonly entries: readonly Uint8Array[];
  readonly chatEntity: MembershipUpdateChatEntity | undefined;
}

/** Options of decodeMembershipUpdate. */
export interface DecodeMembershipUpdateOptions {
  /**
   * Reference time (ms) for status-go's clock check (ValidateMembershipUpdateMessage): an event clocked
   * 0 or more than 120 s ahead is rejected. Omit to keep every clock.
   */
  readonly timeMs?: number;
}

function entityToProto(entity: MembershipUpdateChatEntity | undefined) {
  switch (entity?.case) {
    case 'message':
      return { case: 'message' as const, value: chatMessageToProto(entity.value) };
    case 'emojiReaction':
      return { case: 'emojiReaction' as const, value: emojiReactionToProto(entity.value) };
    default:
      return { case: undefined };
  }
}

function tooManyEvents(count: number): PayloadError {
  return new PayloadError(
    PayloadErrorCode.TooLarge,
    `${count} membership events exceed the limit of ${MAX_MEMBERSHIP_EVENTS_PER_UPDATE}`,
    { details: { size: count, limit: MAX_MEMBERSHIP_EVENTS_PER_UPDATE } },
  );
}

function assertChatIdLength(chatId: string): void {
  if (chatId.length > MAX_GROUP_CHAT_ID_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `chat id of ${chatId.length} characters exceeds the limit of ${MAX_GROUP_CHAT_ID_LENGTH}`,
      { details: { size: chatId.length, limit: MAX_GROUP_CHAT_ID_LENGTH } },
    );
  }
}

/**
 * Serializes a MembershipUpdateMessage, as status-go's EncodeMembershipUpdateMessage: the chat id, each
 * event's wire bytes as signed, and the optional chat entity. ERR_PAYLOAD_INVALID_ARGUMENT when an event
 * was signed for another chat id; ERR_PAYLOAD_TOO_LARGE above MAX_MEMBERSHIP_EVENTS_PER_UPDATE events,
 * MAX_GROUP_CHAT_ID_LENGTH or MAX_MEMBERSHIP_UPDATE_BYTES.
 */
export function encodeMembershipUpdate(input: MembershipUpdateInput): Uint8Array {
  assertChatIdLength(input.chatId);
  if (input.events.length > MAX_MEMBERSHIP_EVENTS_PER_UPDATE) throw tooManyEvents(input.events.length);
  for (const [index, event] of input.events.entries()) {
    if (event.chatId !== input.chatId) {
      throw new PayloadError(
        PayloadErrorCode.InvalidArgument,
        'membership event signed for another chat id',
        {
          details: { index },
        },
      );
    }
  }
  const bytes = toBinary(
    MembershipUpdateMessageSchema,
    create(MembershipUpdateMessageSchema, {
      chatId: input.chatId,
      events: input.events.map((event) => event.bytes),
      chatEntity: entityToProto(input.chatEntity),
    }),
  );
  if (bytes.length > MAX_MEMBERSHIP_UPDATE_BYTES) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `MembershipUpdateMessage of ${bytes.length} bytes exceeds the limit of ${MAX_MEMBERSHIP_UPDATE_BYTES}`,
      { details: { size: bytes.length, limit: MAX_MEMBERSHIP_UPDATE_BYTES } },
    );
  }
  return bytes;
}

/**
 * Parses a MembershipUpdateMessage and verifies each event entry for its chat id. A bad entry does not
 * fail the message: it is listed in `rejected` (index and typed error) so a caller can both mirror
 * status-go (reject the message when `rejected` is not empty, see checkMembershipUpdate) and keep the
 * good events. Throws ERR_PAYLOAD_TOO_LARGE (bytes, event count, chat id length) or
 * ERR_PAYLOAD_MALFORMED (not a MembershipUpdateMessage, or a chat id that is not UTF-8). Unknown fields
 * are skipped. The chat entity is returned as decoded; its own validation belongs to its type.
 */
export function decodeMembershipUpdate(
  bytes: Uint8Array,
  options: DecodeMembershipUpdateOptions = {},
): DecodedMembershipUpdate {
  const raw = decodeProto(MembershipUpdateMessageSchema, bytes, MAX_MEMBERSHIP_UPDATE_BYTES);
  if (raw.events.length > MAX_MEMBERSHIP_EVENTS_PER_UPDATE) throw tooManyEvents(raw.events.length);
  assertChatIdLength(raw.chatId);

  const events: SignedMembershipEvent[] = [];
  const rejected: RejectedMembershipEntry[] = [];
  for (const [index, entry] of raw.events.entries()) {
    try {
      const event = verifyMembershipEvent(raw.chatId, entry);
      if (options.timeMs !== undefined) validateClock(event.clock, options.timeMs);
      events.push(event);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      rejected.push(Object.freeze({ index, bytes: entry, error }));
    }
  }
  const entity = raw.chatEntity;
  return Object.freeze({
    chatId: raw.chatId,
    events: Object.freeze(events),
    rejected: Object.freeze(rejected),
    entries: Object.freeze(raw.events),
    chatEntity:
      entity.case === 'message'
        ? { case: 'message' as const, value: chatMessageFromProto(entity.value) }
        : entity.case === 'emojiReaction'
          ? { case: 'emojiReaction' as const, value: emojiReactionFromProto(entity.value) }
          : undefined,
  });
}
