import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  MvdsError,
  type MvdsMessage,
  type MvdsPayload,
  messageSize,
  parseMvdsPayload,
  splitPayload,
} from '../src/index.js';
import { idRecordSize, messageRecordSize } from '../src/wire-size.js';

const RUNS = 1000;

const idArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const messageArb: fc.Arbitrary<MvdsMessage> = fc.record({
  groupId: fc.uint8Array({ maxLength: 64 }),
  timestamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  body: fc.uint8Array({ maxLength: 100 }),
});
const payloadArb: fc.Arbitrary<MvdsPayload> = fc.record({
  acks: fc.array(idArb, { maxLength: 5 }),
  offers: fc.array(idArb, { maxLength: 5 }),
  requests: fc.array(idArb, { maxLength: 5 }),
  messages: fc.array(messageArb, { maxLength: 5 }),
});

/** Decoding either succeeds (and the result re-encodes) or throws an MvdsError: never anything else. */
function decodeOnlyTypedErrors(bytes: Uint8Array): void {
  try {
    const payload = decodePayload(bytes);
    encodePayload(payload);
  } catch (err) {
    if (!(err instanceof MvdsError)) throw err;
    expect(err.code).toMatch(/^ERR_MVDS_/);
  }
}

describe('payload decoder properties', () => {
  it('random bytes raise only typed errors', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), decodeOnlyTypedErrors), { numRuns: RUNS });
  });

  it('mutated valid payloads raise only typed errors', () => {
    const mutation = fc.record({
      position: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      cut: fc.nat(),
      kind: fc.constantFrom('flip', 'truncate', 'insert', 'delete'),
    });
    fc.assert(
      fc.property(payloadArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (payload, mutations) => {
        let bytes = Array.from(encodePayload(payload));
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.position % bytes.length;
          if (m.kind === 'flip' && bytes.length > 0) bytes[at] = m.value;
          else if (m.kind === 'truncate') bytes = bytes.slice(0, m.cut % (bytes.length + 1));
          else if (m.kind === 'insert') bytes.splice(at, 0, m.value);
          else bytes.splice(at, 1);
        }
        decodeOnlyTypedErrors(new Uint8Array(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseMvdsPayload never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const result = parseMvdsPayload(bytes);
        if (result)
          expect(
            result.acks.length + result.offers.length + result.requests.length + result.messages.length,
          ).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('valid payloads round-trip exactly', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        expect(decodePayload(encodePayload(payload))).toEqual(payload);
      }),
      { numRuns: RUNS },
    );
  });

  it('computed record sizes add up to the encoded size', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const ids = [...p.acks, ...p.offers, ...p.requests];
        const expected =
          ids.reduce((n, id) => n + idRecordSize(id), 0) +
          p.messages.reduce((n, m) => n + messageRecordSize(m), 0);
        expect(encodePayload(p).length).toBe(expected);
        for (const m of p.messages) expect(messageSize(m)).toBeLessThan(messageRecordSize(m));
      }),
      { numRuns: RUNS },
    );
  });

  it('splitPayload parts fit the size and record limits and keep every record in order', () => {
    fc.assert(
      fc.property(
        payloadArb,
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 6 }),
        (p, extra, maxRecords) => {
          const largest = Math.max(
            0,
            ...[...p.acks, ...p.offers, ...p.requests].map(idRecordSize),
            ...p.messages.map(messageRecordSize),
          );
          const maxSize = Math.max(1, largest + extra);
          const parts = splitPayload(p, maxSize, maxRecords);
          for (const part of parts) {
            expect(encodePayload(part).length).toBeLessThanOrEqual(maxSize);
            const count = part.acks.length + part.offers.length + part.requests.length + part.messages.length;
            expect(count).toBeGreaterThan(0);
            expect(count).toBeLessThanOrEqual(maxRecords);
          }
          expect(parts.flatMap((x) => x.acks)).toEqual(p.acks);
          expect(parts.flatMap((x) => x.offers)).toEqual(p.offers);
          expect(parts.flatMap((x) => x.requests)).toEqual(p.requests);
          expect(parts.flatMap((x) => x.messages)).toEqual(p.messages);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
