import { create, toBinary } from '@bufbuild/protobuf';
import { concatBytes, hexToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type ChatMessage,
  checkChatMessage,
  decodeChatMessage,
  encodeChatMessage,
  MAX_APPLICATION_PAYLOAD_BYTES,
  MAX_AUDIO_BYTES,
  MAX_CHAT_TEXT_LENGTH,
  MAX_CLOCK_FUTURE_DRIFT_MS,
  MAX_IMAGE_BYTES,
  messageSigner,
  newChatMessage,
  oneToOneChatId,
  PayloadErrorCode,
  PLACEHOLDER_TEXT,
  proto,
  unwrapChatMessage,
  validateReceivedChatMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '../src/index.js';
import { codeOf } from './support/errors.js';

const NOW = 1_700_000_000_000;
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const AAC = Uint8Array.of(0xff, 0xf1, 0x50, 0x80);

const base: ChatMessage = {
  clock: NOW,
  timestamp: NOW,
  text: 'hello',
  responseTo: '',
  ensName: '',
  chatId: 'status',
  messageType: 'PUBLIC_GROUP',
  contentType: 'TEXT_PLAIN',
};

const received = { envelopeTimeMs: NOW, signed: true };

describe('ChatMessage codec', () => {
  it('round-trips every field, including each content kind', () => {
    const messages: ChatMessage[] = [
      { ...base, responseTo: '0xabcd', ensName: 'alice.stateofus.eth' },
      { ...base, contentType: 'STICKER', content: { kind: 'sticker', hash: 'e301017012', pack: 3 } },
      { ...base, contentType: 'IMAGE', content: { kind: 'image', payload: PNG, imageType: 'PNG' } },
      {
        ...base,
        contentType: 'AUDIO',
        content: { kind: 'audio', payload: AAC, audioType: 'AAC', durationMs: 1500 },
      },
    ];
    for (const message of messages) {
      const decoded = decodeChatMessage(encodeChatMessage(message));
      expect(decoded).toEqual({ ...message, content: message.content });
    }
  });

  it('unknown enum numbers decode to the UNKNOWN names (and are then refused by validation)', () => {
    const bytes = toBinary(
      proto.ChatMessageSchema,
      create(proto.ChatMessageSchema, {
        clock: 1n,
        timestamp: 1n,
        text: 'x',
        chatId: 'c',
        messageType: 9 as proto.MessageType,
        contentType: 42 as proto.ChatMessage_ContentType,
      }),
    );
    const message = decodeChatMessage(bytes);
    expect(message.messageType).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(message.contentType).toBe('UNKNOWN_CONTENT_TYPE');
    expect(codeOf(() => validateReceivedChatMessage(message, received))).toBe(PayloadErrorCode.InvalidField);
  });

  it('unknown fields from a newer sender are ignored', () => {
    const bytes = concatBytes(encodeChatMessage(base), Uint8Array.of(0x9a, 0x01, 0x02, 0x68, 0x69)); // field 19
    expect(decodeChatMessage(bytes)).toEqual({ ...base, content: undefined });
  });

  it('a clock above 2^53 is refused with a typed error instead of being rounded', () => {
    const bytes = toBinary(
      proto.ChatMessageSchema,
      create(proto.ChatMessageSchema, { clock: 2n ** 60n, timestamp: 1n, text: 'x', chatId: 'c' }),
    );
    expect(codeOf(() => decodeChatMessage(bytes))).toBe(PayloadErrorCode.InvalidField);
  });
});

describe('status-go receive validation (ValidateReceivedChatMessage)', () => {
  const refused: [string, ChatMessage][] = [
    ['clock 0', { ...base, clock: 0 }],
    ['timestamp 0', { ...base, timestamp: 0 }],
    ['empty text', { ...base, text: '' }],
    ['blank text (Go whitespace, incl. U+0085)', { ...base, text: ' \t\n\u0085\u3000' }],
    ['empty chat id', { ...base, chatId: '' }],
    ['unknown message type', { ...base, messageType: 'UNKNOWN_MESSAGE_TYPE' }],
    ['local system message type', { ...base, messageType: 'SYSTEM_MESSAGE_PRIVATE_GROUP' }],
    ['unknown content type', { ...base, contentType: 'UNKNOWN_CONTENT_TYPE' }],
    ['transaction command content', { ...base, contentType: 'TRANSACTION_COMMAND' }],
    ['sticker without sticker', { ...base, contentType: 'STICKER' }],
    [
      'sticker without hash',
      { ...base, contentType: 'STICKER', content: { kind: 'sticker', hash: '', pack: 1 } },
    ],
    ['image without image', { ...base, contentType: 'IMAGE' }],
    [
      'empty image',
      {
        ...base,
        contentType: 'IMAGE',
        content: { kind: 'image', payload: new Uint8Array(0), imageType: 'PNG' },
      },
    ],
    [
      'image of unknown type',
      {
        ...base,
        contentType: 'IMAGE',
        content: { kind: 'image', payload: PNG, imageType: 'UNKNOWN_IMAGE_TYPE' },
      },
    ],
    ['audio without audio', { ...base, contentType: 'AUDIO' }],
    [
      'empty audio',
      {
        ...base,
        contentType: 'AUDIO',
        content: { kind: 'audio', payload: new Uint8Array(0), audioType: 'AAC', durationMs: 1 },
      },
    ],
    [
      'audio of unknown type',
      {
        ...base,
        contentType: 'AUDIO',
        content: { kind: 'audio', payload: AAC, audioType: 'UNKNOWN_AUDIO_TYPE', durationMs: 1 },
      },
    ],
  ];
  for (const [name, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(codeOf(() => validateReceivedChatMessage(message, received))).toBe(
        PayloadErrorCode.InvalidField,
      );
      expect(codeOf(() => encodeChatMessage(message))).toBe(PayloadErrorCode.InvalidField);
    });
  }

  it('refuses to send a string with a lone surrogate (it has no UTF-8 form)', () => {
    expect(codeOf(() => encodeChatMessage({ ...base, text: 'a\ud800b' }))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
    expect(codeOf(() => encodeChatMessage({ ...base, ensName: '\udc00' }))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
  });

  it('a STICKER message carries its sticker, with a hash', () => {
    const sticker: ChatMessage = {
      ...base,
      contentType: 'STICKER',
      content: { kind: 'sticker', hash: 'e30101', pack: 2 },
    };
    expect(codeOf(() => validateReceivedChatMessage(sticker, received))).toBeUndefined();
    expect(codeOf(() => validateReceivedChatMessage({ ...sticker, content: undefined }, received))).toBe(
      PayloadErrorCode.InvalidField,
    );
    const image: ChatMessage = {
      ...base,
      contentType: 'IMAGE',
      content: { kind: 'image', payload: PNG, imageType: 'PNG' },
    };
    expect(codeOf(() => validateReceivedChatMessage({ ...image, contentType: 'STICKER' }, received))).toBe(
      PayloadErrorCode.InvalidField,
    );
  });

  it('accepts a text that is only U+FEFF (Go does not count it as space, JavaScript trim() would)', () => {
    expect(codeOf(() => validateReceivedChatMessage({ ...base, text: '\ufeff' }, received))).toBeUndefined();
  });

  it(`accepts a clock up to ${MAX_CLOCK_FUTURE_DRIFT_MS} ms ahead of the envelope and refuses one beyond`, () => {
    const at = { ...base, clock: NOW + MAX_CLOCK_FUTURE_DRIFT_MS };
    expect(codeOf(() => validateReceivedChatMessage(at, received))).toBeUndefined();
    const beyond = { ...base, clock: NOW + MAX_CLOCK_FUTURE_DRIFT_MS + 1 };
    expect(codeOf(() => validateReceivedChatMessage(beyond, received))).toBe(PayloadErrorCode.InvalidField);
    // Old clocks are fine: history from a mailserver is old.
    const old = { ...base, clock: 1 };
    expect(codeOf(() => validateReceivedChatMessage(old, received))).toBeUndefined();
  });

  it('public chat messages must be signed; 1:1 messages may be unsigned (status-go accepts them)', () => {
    expect(codeOf(() => validateReceivedChatMessage(base, { envelopeTimeMs: NOW, signed: false }))).toBe(
      PayloadErrorCode.Unsigned,
    );
    const direct = { ...base, messageType: 'ONE_TO_ONE' as const };
    expect(
      codeOf(() => validateReceivedChatMessage(direct, { envelopeTimeMs: NOW, signed: false })),
    ).toBeUndefined();
  });

  it('an unsigned public chat message is refused on unwrap', () => {
    const unsigned = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload: encodeChatMessage(base) });
    expect(codeOf(() => unwrapChatMessage(unsigned.bytes, { envelopeTimeMs: NOW }))).toBe(
      PayloadErrorCode.Unsigned,
    );
  });

  it('unwrapChatMessage refuses a wrapper of another type', () => {
    const signer = messageSigner(generatePrivateKey());
    const other = wrapApplicationMessage({ type: 'CONTACT_UPDATE', payload: new Uint8Array(0), signer });
    expect(codeOf(() => unwrapChatMessage(other.bytes, { envelopeTimeMs: NOW }))).toBe(
      PayloadErrorCode.InvalidField,
    );
  });
});

describe('limits', () => {
  it(`text: we send at most ${MAX_CHAT_TEXT_LENGTH} UTF-8 bytes (v0.62.0) and accept ${MAX_CHAT_TEXT_LENGTH} code points (v0.79)`, () => {
    expect(
      codeOf(() => encodeChatMessage({ ...base, text: 'a'.repeat(MAX_CHAT_TEXT_LENGTH) })),
    ).toBeUndefined();
    expect(codeOf(() => encodeChatMessage({ ...base, text: 'a'.repeat(MAX_CHAT_TEXT_LENGTH + 1) }))).toBe(
      PayloadErrorCode.TooLarge,
    );
    const wide = 'é'.repeat(MAX_CHAT_TEXT_LENGTH); // 2 bytes each: too long to send, fine to receive
    expect(codeOf(() => encodeChatMessage({ ...base, text: wide }))).toBe(PayloadErrorCode.TooLarge);
    expect(codeOf(() => validateReceivedChatMessage({ ...base, text: wide }, received))).toBeUndefined();
    const emoji = '😀'.repeat(MAX_CHAT_TEXT_LENGTH + 1); // code points, not UTF-16 units
    expect(codeOf(() => validateReceivedChatMessage({ ...base, text: emoji }, received))).toBe(
      PayloadErrorCode.TooLarge,
    );
    expect(
      codeOf(() => checkChatMessage({ ...base, text: '😀'.repeat(MAX_CHAT_TEXT_LENGTH) })),
    ).toBeUndefined();
  });

  it(`images up to ${MAX_IMAGE_BYTES} bytes and audio up to ${MAX_AUDIO_BYTES} bytes; beyond is ERR_PAYLOAD_TOO_LARGE`, () => {
    const image = (size: number): ChatMessage => {
      const payload = new Uint8Array(size);
      payload.set(PNG);
      return { ...base, contentType: 'IMAGE', content: { kind: 'image', payload, imageType: 'PNG' } };
    };
    const audio = (size: number): ChatMessage => {
      const payload = new Uint8Array(size);
      payload.set(AAC);
      return {
        ...base,
        contentType: 'AUDIO',
        content: { kind: 'audio', payload, audioType: 'AAC', durationMs: 5 },
      };
    };
    expect(codeOf(() => checkChatMessage(image(MAX_IMAGE_BYTES)))).toBeUndefined();
    expect(codeOf(() => checkChatMessage(image(MAX_IMAGE_BYTES + 1)))).toBe(PayloadErrorCode.TooLarge);
    expect(codeOf(() => checkChatMessage(audio(MAX_AUDIO_BYTES)))).toBeUndefined();
    expect(codeOf(() => checkChatMessage(audio(MAX_AUDIO_BYTES + 1)))).toBe(PayloadErrorCode.TooLarge);
  });

  it(`decoding refuses more than MAX_APPLICATION_PAYLOAD_BYTES (${MAX_APPLICATION_PAYLOAD_BYTES}) or the caller's limit`, () => {
    expect(codeOf(() => decodeChatMessage(new Uint8Array(MAX_APPLICATION_PAYLOAD_BYTES + 1)))).toBe(
      PayloadErrorCode.TooLarge,
    );
    expect(codeOf(() => decodeChatMessage(encodeChatMessage(base), { maxBytes: 4 }))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });
});

describe('newChatMessage', () => {
  const peer = getPublicKey(generatePrivateKey(), 'compressed');

  it('fills chat id, message type, clock and timestamp for each chat kind', () => {
    const pub = newChatMessage({ chat: { kind: 'public', name: 'status' }, text: 'hi', now: NOW });
    expect(pub).toMatchObject({ chatId: 'status', messageType: 'PUBLIC_GROUP', clock: NOW, timestamp: NOW });
    const direct = newChatMessage({ chat: { kind: 'one-to-one', peer }, text: 'hi', now: NOW });
    expect(direct).toMatchObject({
      chatId: oneToOneChatId(peer),
      messageType: 'ONE_TO_ONE',
      contentType: 'TEXT_PLAIN',
    });
    expect(direct.chatId).toHaveLength(132);
    const group = newChatMessage({ chat: { kind: 'group', chatId: 'some-group-id' }, text: 'hi', now: NOW });
    expect(group).toMatchObject({ chatId: 'some-group-id', messageType: 'PRIVATE_GROUP' });
  });

  it('the clock is max(now, lastClock + 1)', () => {
    expect(
      newChatMessage({ chat: { kind: 'public', name: 'a' }, text: 'x', now: NOW, lastClock: NOW + 50 }).clock,
    ).toBe(NOW + 51);
    expect(
      newChatMessage({ chat: { kind: 'public', name: 'a' }, text: 'x', now: NOW, lastClock: NOW - 50 }).clock,
    ).toBe(NOW);
  });

  it('media get their type from the bytes and a placeholder text status-go requires', () => {
    const image = newChatMessage({
      chat: { kind: 'public', name: 'a' },
      content: { kind: 'image', payload: PNG },
      now: NOW,
    });
    expect(image).toMatchObject({
      contentType: 'IMAGE',
      text: PLACEHOLDER_TEXT.image,
      content: { imageType: 'PNG' },
    });
    const audio = newChatMessage({
      chat: { kind: 'public', name: 'a' },
      content: { kind: 'audio', payload: AAC, durationMs: 2000 },
      now: NOW,
    });
    expect(audio).toMatchObject({ contentType: 'AUDIO', content: { audioType: 'AAC', durationMs: 2000 } });
    const sticker = newChatMessage({
      chat: { kind: 'public', name: 'a' },
      content: { kind: 'sticker', hash: 'e30101', pack: 1 },
      now: NOW,
    });
    expect(sticker).toMatchObject({ contentType: 'STICKER', text: PLACEHOLDER_TEXT.sticker });
  });

  it('refuses bad public chat names, keys, unknown media and empty text with typed errors', () => {
    expect(
      codeOf(() => newChatMessage({ chat: { kind: 'public', name: 'Bad Name' }, text: 'x', now: NOW })),
    ).toBe(PayloadErrorCode.InvalidField);
    expect(
      codeOf(() =>
        newChatMessage({ chat: { kind: 'one-to-one', peer: new Uint8Array(33) }, text: 'x', now: NOW }),
      ),
    ).toBe(PayloadErrorCode.InvalidField);
    expect(
      codeOf(() =>
        newChatMessage({
          chat: { kind: 'public', name: 'a' },
          content: { kind: 'image', payload: Uint8Array.of(1, 2, 3, 4) },
          now: NOW,
        }),
      ),
    ).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => newChatMessage({ chat: { kind: 'public', name: 'a' }, text: ' ', now: NOW }))).toBe(
      PayloadErrorCode.InvalidField,
    );
  });

  it('a built message wraps, unwraps and validates with the author recovered', () => {
    const signer = messageSigner(generatePrivateKey());
    const message = newChatMessage({
      chat: { kind: 'public', name: 'status' },
      text: 'round trip',
      now: NOW,
    });
    const wrapped = wrapChatMessage(message, signer);
    const back = unwrapChatMessage(wrapped.bytes, { envelopeTimeMs: NOW });
    expect(back.message).toEqual({ ...message, content: undefined });
    expect(back.wrapper.author).toEqual(signer.publicKey);
    expect(back.wrapper.id).toEqual(wrapped.id);
  });

  it('a recorded 1:1 peer key in compressed form gives the uncompressed chat id', () => {
    const compressed = hexToBytes('0x02d158df93fd8596dcfc49ef6239bdc0afd02e20ea13b3b8dcb041626687108d01');
    expect(oneToOneChatId(compressed)).toBe(
      '0x04d158df93fd8596dcfc49ef6239bdc0afd02e20ea13b3b8dcb041626687108d01048956c9e196243c6e9f521eac7f1eac31ad7d8c9c2b1071a4173079d0b7ab72',
    );
  });
});
