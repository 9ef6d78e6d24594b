import fc from 'fast-check';
import { isGoBlank } from '../../src/go-text.js';
import type { ChatMessage } from '../../src/index.js';

// Arbitrary valid ChatMessages (what encodeChatMessage accepts): any code point in the strings.
const safeUint = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const contentArb = fc.oneof(
  fc.constant(undefined),
  fc.record({
    kind: fc.constant('sticker' as const),
    hash: fc.string({ unit: 'binary', minLength: 1 }),
    pack: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  }),
  fc.record({
    kind: fc.constant('image' as const),
    payload: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    imageType: fc.constantFrom('PNG' as const, 'JPEG' as const, 'WEBP' as const, 'GIF' as const),
  }),
  fc.record({
    kind: fc.constant('audio' as const),
    payload: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    audioType: fc.constantFrom('AAC' as const, 'AMR' as const),
    durationMs: fc.nat(),
  }),
);
export const chatMessageArb: fc.Arbitrary<ChatMessage> = fc
  .record({
    clock: safeUint,
    timestamp: safeUint,
    text: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((text) => !isGoBlank(text)),
    responseTo: fc.string({ unit: 'binary', maxLength: 70 }),
    ensName: fc.string({ unit: 'binary', maxLength: 30 }),
    chatId: fc.string({ unit: 'binary', minLength: 1, maxLength: 140 }),
    messageType: fc.constantFrom('ONE_TO_ONE' as const, 'PUBLIC_GROUP' as const, 'PRIVATE_GROUP' as const),
    content: contentArb,
  })
  .map(({ content, ...rest }) => ({
    ...rest,
    contentType:
      content === undefined
        ? ('TEXT_PLAIN' as const)
        : ({ sticker: 'STICKER', image: 'IMAGE', audio: 'AUDIO' } as const)[content.kind],
    content,
  }));
