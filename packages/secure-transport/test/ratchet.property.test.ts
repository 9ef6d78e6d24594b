import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RatchetMessage, SecureTransportError, SecureTransportErrorCode } from '../src/index.js';
import { sessionPair } from './helpers/pair.js';

type Op =
  | { kind: 'send'; from: 0 | 1 }
  | { kind: 'deliver'; to: 0 | 1; pick: number; keep: boolean; tamper: number | null };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({
    kind: fc.constant('deliver' as const),
    to: fc.constantFrom(0 as const, 1 as const),
    pick: fc.nat(),
    keep: fc.boolean(), // keep it in flight: it will be delivered again (a duplicate)
    tamper: fc.option(fc.nat(), { freq: 4 }),
  }),
);

const typedCodes: string[] = [
  SecureTransportErrorCode.DecryptFailed,
  SecureTransportErrorCode.MessageKeyGone,
  SecureTransportErrorCode.TooManySkipped,
];

// Random interleavings of sends, reordered deliveries, duplicates, drops (never delivered) and tampered
// copies between two parties: every genuine delivery decrypts to what was sent, tampered copies fail with a
// typed error and leave the session able to decrypt everything genuine that follows.
describe('ratchet property: reordering, duplicates, drops, tampering', () => {
  it('always decrypts genuine messages within the skip window', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { alice, bob } = sessionPair();
        const parties = [alice, bob];
        const inFlight: { msg: RatchetMessage; text: string }[][] = [[], []]; // indexed by receiver
        let counter = 0;
        for (const o of ops) {
          if (o.kind === 'send') {
            const text = `msg ${counter++}`;
            inFlight[1 - o.from]!.push({ msg: parties[o.from]!.encrypt(utf8ToBytes(text)), text });
            continue;
          }
          const queue = inFlight[o.to]!;
          if (queue.length === 0) continue;
          const index = o.pick % queue.length;
          const { msg, text } = queue[index]!;
          if (!o.keep) queue.splice(index, 1);
          const receiver = parties[o.to]!;
          if (o.tamper !== null) {
            const ciphertext = msg.ciphertext.slice();
            ciphertext[o.tamper % ciphertext.length]! ^= 1 + (o.tamper % 255);
            const header =
              o.tamper % 3 === 0 ? { ...msg.header, n: msg.header.n + 1 + (o.tamper % 5) } : msg.header;
            const before = receiver.snapshot();
            try {
              receiver.decrypt({ header, ciphertext });
              throw new Error('tampered message decrypted');
            } catch (err) {
              expect(err).toBeInstanceOf(SecureTransportError);
              expect(typedCodes).toContain((err as SecureTransportError).code);
            }
            expect(receiver.snapshot()).toEqual(before); // a failed decrypt changes nothing
            queue.push({ msg, text }); // the genuine copy still arrives later
            continue;
          }
          expect(bytesToUtf8(receiver.decrypt(msg))).toBe(text);
        }
        // Deliver everything still in flight in reverse order: all of it decrypts.
        for (const to of [0, 1] as const) {
          for (const { msg, text } of inFlight[to]!.reverse()) {
            expect(bytesToUtf8(parties[to]!.decrypt(msg))).toBe(text);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
