import { generatePrivateKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkChatMessage,
  decodeChatMessage,
  encodeChatMessage,
  messageSigner,
  PayloadError,
  unwrapApplicationMessage,
  wrapApplicationMessage,
} from '../src/index.js';
import { chatMessageArb } from './support/chat-message-arbitrary.js';

const RUNS = 10_000;

/** Runs `decode` and accepts only success or a PayloadError (with a code): never another throw. */
function decodesOrTypedError(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    expect(error.code).toMatch(/^ERR_PAYLOAD_/);
  }
}

/** Flips, inserts or deletes bytes at arbitrary positions. */
function mutate(bytes: Uint8Array, edits: { at: number; op: number; value: number }[]): Uint8Array {
  const out = Array.from(bytes);
  for (const { at, op, value } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (op === 0) out[i] = value;
    else if (op === 1) out.splice(i, 0, value);
    else out.splice(i, 1);
  }
  return Uint8Array.from(out);
}
const editsArb = fc.array(fc.record({ at: fc.nat(), op: fc.nat(2), value: fc.nat(255) }), {
  minLength: 1,
  maxLength: 4,
});

describe(`ChatMessage decoder, ${RUNS} cases each`, () => {
  it('valid messages round-trip', () => {
    fc.assert(
      fc.property(chatMessageArb, (message) => {
        checkChatMessage(message, { sending: true });
        expect(decodeChatMessage(encodeChatMessage(message))).toEqual({
          ...message,
          content: message.content,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated and arbitrary bytes decode or throw a PayloadError', () => {
    fc.assert(
      fc.property(chatMessageArb, editsArb, fc.uint8Array({ maxLength: 64 }), (message, edits, noise) => {
        decodesOrTypedError(() => decodeChatMessage(mutate(encodeChatMessage(message), edits)));
        decodesOrTypedError(() => decodeChatMessage(noise));
      }),
      { numRuns: RUNS },
    );
  });
});

describe(`ApplicationMetadataMessage decoder, ${RUNS} cases each`, () => {
  // Signing is the slow part: sign a small pool once, mutate and recombine in the properties.
  const signers = [messageSigner(generatePrivateKey()), messageSigner(generatePrivateKey())];
  const pool = Array.from({ length: 16 }, (_, i) =>
    wrapApplicationMessage({
      type: i % 2 === 0 ? 'CHAT_MESSAGE' : 'EMOJI_REACTION',
      payload: Uint8Array.from({ length: 20 + i * 7 }, (_, j) => (i * 31 + j) & 0xff),
      signer: signers[i % 2],
    }),
  );

  it('valid wrappers unwrap to their payload, type, author and id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pool), (wrapped) => {
        const unwrapped = unwrapApplicationMessage(wrapped.bytes);
        expect(unwrapped.payload).toEqual(wrapped.payload);
        expect(unwrapped.type).toBe(wrapped.type);
        expect(unwrapped.author).toEqual(wrapped.author);
        expect(unwrapped.id).toEqual(wrapped.id);
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated and arbitrary bytes unwrap or throw a PayloadError; a changed payload never keeps its author', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pool),
        editsArb,
        fc.uint8Array({ maxLength: 96 }),
        (wrapped, edits, noise) => {
          const mutated = mutate(wrapped.bytes, edits);
          try {
            const unwrapped = unwrapApplicationMessage(mutated);
            if (
              unwrapped.signed &&
              !equal(unwrapped.payload, wrapped.payload) &&
              equal(unwrapped.signature!, wrapped.signature!)
            ) {
              expect(unwrapped.author).not.toEqual(wrapped.author);
            }
          } catch (error) {
            if (!(error instanceof PayloadError)) throw error;
          }
          decodesOrTypedError(() => unwrapApplicationMessage(noise));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
