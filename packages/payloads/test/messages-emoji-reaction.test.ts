import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { bytesToHex, concatBytes, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEmojiReaction,
  type EmojiReaction,
  type EmojiReactionChatType,
  type EmojiReactionType,
  emojiReactionFromProto,
  emojiReactionId,
  emojiReactionToProto,
  encodeEmojiReaction,
  retractEmojiReaction,
  validateEmojiReaction,
} from '../src/messages/index.js';
import { EmojiReactionSchema } from '../src/proto.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const NOW = 1_600_000_000_000;
const author = getPublicKey(Uint8Array.from({ length: 32 }, () => 7));

const reaction: EmojiReaction = {
  clock: NOW,
  chatId: 'status',
  messageId: `0x${'ab'.repeat(32)}`,
  messageType: 'PUBLIC_GROUP',
  type: 'THUMBS_UP',
  retracted: false,
};
// emoji_reaction.proto: clock = 1, chat_id = 2, message_id = 3, message_type = 4 (PUBLIC_GROUP = 2),
// type = 5 (THUMBS_UP = 2), retracted = 6.
const wire = proto()
  .varint(1, reaction.clock)
  .string(2, reaction.chatId)
  .string(3, reaction.messageId)
  .varint(4, 2)
  .varint(5, 2)
  .finish();
const retraction = retractEmojiReaction(reaction, NOW + 10);
const retractionWire = proto()
  .varint(1, NOW + 10)
  .string(2, reaction.chatId)
  .string(3, reaction.messageId)
  .varint(4, 2)
  .varint(5, 2)
  .bool(6, true)
  .finish();

const emojiTypes: EmojiReactionType[] = ['LOVE', 'THUMBS_UP', 'THUMBS_DOWN', 'LAUGH', 'SAD', 'ANGRY'];
const chatTypes: EmojiReactionChatType[] = [
  'ONE_TO_ONE',
  'PUBLIC_GROUP',
  'PRIVATE_GROUP',
  'SYSTEM_MESSAGE_PRIVATE_GROUP',
];
const reactions: fc.Arbitrary<EmojiReaction> = fc.record({
  clock: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  chatId: wireText({ minLength: 1, maxLength: 20 }),
  messageId: wireText({ minLength: 1, maxLength: 20 }),
  messageType: fc.constantFrom(...chatTypes),
  type: fc.constantFrom(...emojiTypes),
  retracted: fc.boolean(),
});

describe('EmojiReaction', () => {
  it('encodes a reaction and its retraction to the hand-built bytes and decodes them back', () => {
    expect(encodeEmojiReaction(reaction)).toEqual(wire);
    expect(decodeEmojiReaction(wire)).toEqual(reaction);
    expect(retraction).toEqual({ ...reaction, clock: NOW + 10, retracted: true });
    expect(encodeEmojiReaction(retraction)).toEqual(retractionWire);
    expect(decodeEmojiReaction(retractionWire)).toEqual(retraction);
  });

  it('skips unknown fields and maps unknown enum numbers to the unknown names', () => {
    expect(decodeEmojiReaction(concatBytes(wire, unknownFields()))).toEqual(reaction);
    const future = proto()
      .varint(1, NOW)
      .string(2, 'status')
      .string(3, 'm')
      .varint(4, 42)
      .varint(5, 99)
      .finish();
    const decoded = decodeEmojiReaction(future);
    expect(decoded.type).toBe('UNKNOWN_EMOJI_REACTION_TYPE');
    expect(decoded.messageType).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(() => validateEmojiReaction(decoded, NOW)).toThrow(code('ERR_PAYLOAD_INVALID_FIELD'));
  });

  it('converts to and from the generated message the group module embeds', () => {
    const generated = emojiReactionToProto(reaction);
    expect(generated).toEqual(
      create(EmojiReactionSchema, {
        clock: BigInt(NOW),
        chatId: 'status',
        messageId: reaction.messageId,
        messageType: 2,
        type: 2,
        retracted: false,
      }),
    );
    expect(toBinary(EmojiReactionSchema, generated)).toEqual(wire);
    expect(emojiReactionFromProto(fromBinary(EmojiReactionSchema, retractionWire))).toEqual(retraction);
    expect(() => emojiReactionToProto({ ...reaction, messageId: '' })).toThrow(
      code('ERR_PAYLOAD_INVALID_FIELD'),
    );
  });

  describe('validateEmojiReaction (status-go ValidateReceivedEmojiReaction)', () => {
    it('accepts a valid reaction and retraction, with any known chat type', () => {
      expect(() => validateEmojiReaction(reaction, NOW)).not.toThrow();
      expect(() => validateEmojiReaction(retraction, NOW)).not.toThrow();
      for (const messageType of chatTypes) {
        expect(() => validateEmojiReaction({ ...reaction, messageType }, NOW)).not.toThrow();
      }
    });

    it('applies the clock rule: not 0, at most 120 s ahead', () => {
      expect(() => validateEmojiReaction({ ...reaction, clock: NOW + 120_000 }, NOW)).not.toThrow();
      expect(() => validateEmojiReaction({ ...reaction, clock: NOW + 120_001 }, NOW)).toThrow(
        code('ERR_PAYLOAD_INVALID_FIELD'),
      );
      expect(() => validateEmojiReaction({ ...reaction, clock: 0 }, NOW)).toThrow(
        code('ERR_PAYLOAD_INVALID_FIELD'),
      );
    });

    it('refuses an empty message id or chat id, an unknown emoji or chat type, also when encoding', () => {
      const bad: [string, Partial<EmojiReaction>][] = [
        ['messageId', { messageId: '' }],
        ['chatId', { chatId: '' }],
        ['type', { type: 'UNKNOWN_EMOJI_REACTION_TYPE' }],
        ['messageType', { messageType: 'UNKNOWN_MESSAGE_TYPE' }],
      ];
      for (const [field, change] of bad) {
        expect(() => validateEmojiReaction({ ...reaction, ...change }, NOW), field).toThrow(
          expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field } }),
        );
        expect(() => encodeEmojiReaction({ ...reaction, ...change })).toThrow(
          code('ERR_PAYLOAD_INVALID_FIELD'),
        );
      }
      // status-go checks emptiness, not white space.
      expect(() => validateEmojiReaction({ ...reaction, chatId: ' ' }, NOW)).not.toThrow();
      expect(() => encodeEmojiReaction({ ...reaction, clock: 0 })).toThrow(code('ERR_PAYLOAD_INVALID_FIELD'));
    });

    it('refuses enum names the proto does not have when encoding', () => {
      expect(() => encodeEmojiReaction({ ...reaction, type: 'WINK' as EmojiReactionType })).toThrow(
        code('ERR_PAYLOAD_INVALID_ARGUMENT'),
      );
    });
  });

  describe('emojiReactionId (status-go EmojiReaction.ID)', () => {
    it('is Keccak-256 of the author contact id, the message id and the emoji number', () => {
      const material = `0x${bytesToHex(author)}${reaction.messageId}2`;
      const expected = `0x${bytesToHex(keccak256(utf8ToBytes(material)))}`;
      expect(emojiReactionId(author, reaction)).toBe(expected);
      expect(emojiReactionId(convertPublicKey(author, 'compressed'), reaction)).toBe(expected);
    });

    it('is shared by a reaction and its retraction, and differs per emoji', () => {
      expect(emojiReactionId(author, retraction)).toBe(emojiReactionId(author, reaction));
      const ids = new Set(emojiTypes.map((type) => emojiReactionId(author, { ...reaction, type })));
      expect(ids.size).toBe(emojiTypes.length);
    });
  });

  it('round-trips any valid reaction', () => {
    assertRoundTrips(reactions, encodeEmojiReaction, decodeEmojiReaction);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(reactions, encodeEmojiReaction, decodeEmojiReaction);
  });
});
