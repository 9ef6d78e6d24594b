import { StatusTsError } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { Envelope } from '@status-ts/waku';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterCursorKey,
  assertCursor,
  buildRequestEnvelope,
  CURSOR_LENGTH,
  cursorTime,
  decodeMailRequest,
  decodeMessagesRequest,
  decodeRawPayload,
  decodeRequestPayload,
  encodeMessagesRequest,
  encodeRawPayload,
  encodeRequestPayload,
  MailserverError,
  mailserverSymKey,
} from '../src/index.js';

const RUNS = { numRuns: 1000 };

/** Runs `fn`; anything thrown must be a MailserverError (or a lower package's typed StatusTsError). */
function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusTsError) || !/^ERR_[A-Z0-9_]+$/.test(err.code)) throw err;
  }
}

/** Decoders of this package wrap lower errors: they throw MailserverError only. */
function onlyMailserverErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof MailserverError)) throw err;
    expect(err.code).toMatch(/^ERR_MAILSERVER_/);
  }
}

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const topic = fc.uint8Array({ minLength: 4, maxLength: 4 });
const bloom = fc.uint8Array({ minLength: 64, maxLength: 64 });
const cursor = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 36, maxLength: 36 }));
const fields = fc.record({
  lower: uint32,
  upper: uint32,
  bloom,
  topics: fc.array(topic, { maxLength: 8 }),
  limit: uint32,
  cursor,
  batch: fc.boolean(),
});

/** Byte-level mutation of a valid encoding: flips, truncation, insertion, replacement. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return bytes;
  const at = m.at % bytes.length;
  const out = bytes.slice();
  switch (m.kind) {
    case 'flip':
      out[at]! ^= m.bits;
      return out;
    case 'truncate':
      return out.subarray(0, at);
    case 'insert':
      return Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    case 'set':
      out[at] = m.value;
      return out;
  }
}

describe('request decoders never throw anything but typed errors', () => {
  it('decodeMessagesRequest on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyMailserverErrors(() => decodeMessagesRequest(bytes));
      }),
      RUNS,
    );
  });

  it('decodeMessagesRequest on mutated valid requests', () => {
    fc.assert(
      fc.property(fields, fc.uint8Array({ minLength: 32, maxLength: 32 }), mutation, (f, id, m) => {
        onlyMailserverErrors(() => decodeMessagesRequest(mutate(encodeMessagesRequest(id, f), m)));
      }),
      RUNS,
    );
  });

  it('decodeRequestPayload on random bytes and mutated RLP payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        onlyMailserverErrors(() => decodeRequestPayload(bytes));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fields, mutation, (f, m) => {
        onlyMailserverErrors(() => decodeRequestPayload(mutate(encodeRequestPayload(f), m)));
      }),
      RUNS,
    );
  });

  it('decodeRawPayload on random bytes and mutated raw payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        onlyMailserverErrors(() => decodeRawPayload(bytes));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fields, mutation, (f, m) => {
        onlyMailserverErrors(() => decodeRawPayload(mutate(encodeRawPayload(f), m)));
      }),
      RUNS,
    );
  });

  it('decodeMailRequest on random payloads and random or mutated envelopes', () => {
    const keys = { symKey: mailserverSymKey(), privateKey: generatePrivateKey() };
    const signingKey = generatePrivateKey();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (payload) => {
        onlyMailserverErrors(() => decodeMailRequest({ payload }, keys));
      }),
      RUNS,
    );
    // A few real request envelopes, then mutate their data (the part the server opens).
    const valid = Array.from({ length: 4 }, (_, i) =>
      buildRequestEnvelope({
        payload:
          i % 2 === 0
            ? encodeRequestPayload({ lower: 1, upper: 2 })
            : encodeRawPayload({ lower: 1, upper: 2 }),
        signingKey,
        symKey: keys.symKey,
        now: 1_750_000_000,
      }),
    );
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length - 1 }),
        mutation,
        fc.uint8Array({ maxLength: 120 }),
        (index, m, junk) => {
          const base = valid[index]!;
          for (const data of [mutate(base.data, m), junk]) {
            const envelope = Envelope.create({ expiry: base.expiry, ttl: base.ttl, topic: base.topic, data });
            onlyMailserverErrors(() => decodeMailRequest({ payload: envelope.raw, envelope }, keys));
          }
        },
      ),
      RUNS,
    );
  });

  it('cursor and key helpers on random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        onlyTypedErrors(() => assertCursor(bytes));
        onlyTypedErrors(() => cursorTime(bytes));
        onlyTypedErrors(() => afterCursorKey(bytes));
        if (bytes.length === CURSOR_LENGTH) {
          expect(afterCursorKey(bytes).subarray(0, CURSOR_LENGTH)).toEqual(bytes);
        } else {
          expect(() => assertCursor(bytes)).toThrow(MailserverError);
        }
      }),
      RUNS,
    );
  });
});

describe('request encodings round-trip', () => {
  it('shape (a) MessagesRequest', () => {
    fc.assert(
      fc.property(fields, fc.uint8Array({ minLength: 32, maxLength: 32 }), (f, id) => {
        const decoded = decodeMessagesRequest(encodeMessagesRequest(id, f));
        expect(decoded).toEqual({
          id,
          shape: 'messagesRequest',
          lower: f.lower,
          upper: f.upper,
          limit: f.limit,
          cursor: f.cursor,
          bloom: f.bloom,
          topics: f.topics,
          batch: true,
        });
      }),
      RUNS,
    );
  });

  it('shape (b) RLP payload in status-go order', () => {
    fc.assert(
      fc.property(fields, (f) => {
        expect(decodeRequestPayload(encodeRequestPayload(f))).toEqual({ ...f, shape: 'envelopeRlp' });
      }),
      RUNS,
    );
  });

  it('shape (c) raw payload, via decodeRawPayload and decodeRequestPayload', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const raw = encodeRawPayload(f);
        const expected = { ...f, topics: [], batch: false, shape: 'envelopeRaw' };
        expect(decodeRawPayload(raw)).toEqual(expected);
        // A raw payload is 76 or 112 bytes: never a valid RLP list of three or more items.
        expect(decodeRequestPayload(raw)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('shapes (b) and (c) through a signed request envelope and decodeMailRequest', () => {
    const symKey = mailserverSymKey();
    const signingKey = generatePrivateKey();
    fc.assert(
      fc.property(fields, fc.boolean(), (f, raw) => {
        const payload = raw ? encodeRawPayload(f) : encodeRequestPayload(f);
        const envelope = buildRequestEnvelope({ payload, signingKey, symKey, now: 1_750_000_000 });
        const decoded = decodeMailRequest({ payload: envelope.raw, envelope }, { symKey });
        expect(decoded.id).toEqual(envelope.hash);
        expect(decoded.shape).toBe(raw ? 'envelopeRaw' : 'envelopeRlp');
        expect([decoded.lower, decoded.upper, decoded.limit]).toEqual([f.lower, f.upper, f.limit]);
        expect(decoded.bloom).toEqual(f.bloom);
        expect(decoded.cursor).toEqual(f.cursor);
        expect(decoded.signer).toBeInstanceOf(Uint8Array);
      }),
      { numRuns: 1000 },
    );
  });

  it('a random 32-byte key opens nothing: Decrypt error with the request id', () => {
    const envelope = buildRequestEnvelope({
      payload: encodeRequestPayload({ lower: 1, upper: 2 }),
      signingKey: generatePrivateKey(),
      symKey: randomBytes(32),
      now: 1_750_000_000,
    });
    try {
      decodeMailRequest({ payload: envelope.raw, envelope }, { symKey: mailserverSymKey() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MailserverError);
      expect((err as MailserverError).code).toBe('ERR_MAILSERVER_DECRYPT');
      expect((err as MailserverError).details?.requestId).toEqual(envelope.hash);
    }
  });
});
