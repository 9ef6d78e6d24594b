import { create, toBinary } from '@bufbuild/protobuf';
import { generatePrivateKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  chatMessageToProto,
  encodeChatMessage,
  messageSigner,
  proto,
  wrapApplicationMessage,
} from '../src/index.js';
import { ProtoWriter } from '../src/proto-writer.js';
import { chatMessageArb } from './support/chat-message-arbitrary.js';

// The hand-written encoders of the send path must write exactly what protobuf-es's toBinary writes.
describe('ProtoWriter encoders equal protobuf-es toBinary', () => {
  it('ChatMessage, for arbitrary valid messages (2,000 cases)', () => {
    fc.assert(
      fc.property(chatMessageArb, (message) => {
        expect(encodeChatMessage(message)).toEqual(
          toBinary(proto.ChatMessageSchema, chatMessageToProto(message)),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('ChatMessage edge values: 2^53 - 1 clocks, negative sticker packs, empty optional strings', () => {
    const base: ChatMessage = {
      clock: Number.MAX_SAFE_INTEGER,
      timestamp: 1,
      text: 'x',
      responseTo: '',
      ensName: '',
      chatId: 'c',
      messageType: 'ONE_TO_ONE',
      contentType: 'STICKER',
      content: { kind: 'sticker', hash: 'h', pack: -(2 ** 31) },
    };
    for (const message of [base, { ...base, content: { kind: 'sticker' as const, hash: 'h', pack: 0 } }]) {
      expect(encodeChatMessage(message)).toEqual(
        toBinary(proto.ChatMessageSchema, chatMessageToProto(message)),
      );
    }
  });

  it('ApplicationMetadataMessage, signed and unsigned, for every type', () => {
    const signer = messageSigner(generatePrivateKey());
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...proto.ApplicationMetadataMessage_TypeSchema.values.slice(1)),
        fc.boolean(),
        (payload, type, signed) => {
          const wrapped = wrapApplicationMessage({
            type: type.name as 'CHAT_MESSAGE',
            payload,
            ...(signed ? { signer } : {}),
          });
          const expected = toBinary(
            proto.ApplicationMetadataMessageSchema,
            create(proto.ApplicationMetadataMessageSchema, {
              signature: wrapped.signature ?? new Uint8Array(0),
              payload,
              type: type.number,
            }),
          );
          expect(wrapped.bytes).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes varints across the 32-bit boundary and omits zero fields', () => {
    for (const value of [1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1]) {
      const ours = new ProtoWriter().uint(1, value).finish();
      const theirs = toBinary(
        proto.ContactUpdateSchema,
        create(proto.ContactUpdateSchema, { clock: BigInt(value) }),
      );
      expect(ours).toEqual(theirs);
    }
    expect(new ProtoWriter().uint(1, 0).string(2, '').bytes(3, new Uint8Array(0)).finish()).toEqual(
      new Uint8Array(0),
    );
  });
});
