import { concatBytes, numberToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { type RlpInput, rlpEncode } from '@status-ts/enr';
import { bloomOfTopics, buildEnvelopeData, Envelope, fullBloom } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import {
  afterCursorKey,
  buildRequestEnvelope,
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
  REQUEST_ENVELOPE_TTL,
} from '../src/index.js';

const ID = new Uint8Array(32).fill(7);
const BLOOM = new Uint8Array(64).fill(0x11);
const TOPIC = Uint8Array.of(1, 2, 3, 4);
const CURSOR = new Uint8Array(36).fill(0xab);
const NOW = 1_750_000_000;

/** The MailserverError `fn` throws. */
function thrown(fn: () => unknown): MailserverError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MailserverError);
    return err as MailserverError;
  }
  throw new Error('expected a MailserverError');
}

function expectMalformed(fn: () => unknown, details: Record<string, unknown>): MailserverError {
  const err = thrown(fn);
  expect(err.code).toBe('ERR_MAILSERVER_MALFORMED_REQUEST');
  expect(err.details).toEqual(details);
  return err;
}

/** A MessagesRequest (a) with `fields` replacing the valid ones from index 0. */
function messagesRequest(...fields: RlpInput[]): Uint8Array {
  const valid: RlpInput[] = [ID, 1, 2, 0, new Uint8Array(0), BLOOM, [TOPIC]];
  return rlpEncode(fields.length > 7 ? fields : [...fields, ...valid.slice(fields.length)]);
}

describe('MessagesRequest (shape a)', () => {
  it('encodeMessagesRequest refuses an id of 31 or 33 bytes, naming the field', () => {
    for (const length of [31, 33]) {
      expectMalformed(() => encodeMessagesRequest(new Uint8Array(length), { lower: 1, upper: 2 }), {
        field: 'id',
        expected: 32,
        actual: length,
      });
    }
    expect(encodeMessagesRequest(ID, { lower: 1, upper: 2 })).toBeInstanceOf(Uint8Array);
  });

  it('six fields (before v0.65, no topics) decode with no topics; seven with them', () => {
    const six = decodeMessagesRequest(rlpEncode([ID, 1, 2, 3, CURSOR, BLOOM]));
    expect(six).toEqual({
      id: ID,
      shape: 'messagesRequest',
      lower: 1,
      upper: 2,
      limit: 3,
      cursor: CURSOR,
      bloom: BLOOM,
      topics: [],
      batch: true,
    });
    expect(decodeMessagesRequest(messagesRequest()).topics).toEqual([TOPIC]);
  });

  it('eight fields are refused with the limit and the count', () => {
    expectMalformed(() => decodeMessagesRequest(rlpEncode([ID, 1, 2, 0, new Uint8Array(0), BLOOM, [], 1])), {
      field: 'MessagesRequest',
      max: 7,
      actual: 8,
    });
  });

  it('a malformed field is named in details.field, with the RLP error as cause', () => {
    const cases: [RlpInput[], string][] = [
      [[ID, 1, 2, 0, new Uint8Array(0)], 'MessagesRequest'],
      [[new Uint8Array(31)], 'id'],
      [[ID, [1]], 'from'],
      [[ID, 1, Uint8Array.of(0, 1)], 'to'],
      [[ID, 1, 2, new Uint8Array(5).fill(1)], 'limit'],
      [[ID, 1, 2, 0, []], 'cursor'],
      [[ID, 1, 2, 0, new Uint8Array(0), []], 'bloom'],
      [[ID, 1, 2, 0, new Uint8Array(0), BLOOM, TOPIC], 'topics'],
      [[ID, 1, 2, 0, new Uint8Array(0), BLOOM, [Uint8Array.of(1, 2, 3)]], 'topic'],
    ];
    for (const [fields, field] of cases) {
      const payload =
        fields.length < 6 && field === 'MessagesRequest' ? rlpEncode(fields) : messagesRequest(...fields);
      const err = expectMalformed(() => decodeMessagesRequest(payload), { field });
      expect(err.cause).toBeDefined();
    }
  });

  it('bytes that are not RLP are refused with the decoder error as cause', () => {
    const err = expectMalformed(() => decodeMessagesRequest(Uint8Array.of(0xc5, 1)), {});
    expect(err.cause).toBeDefined();
  });
});

describe('request payload (shape b)', () => {
  it('encodeRequestPayload defaults: bloom of the topics, limit 0, empty cursor, batch true', () => {
    expect(encodeRequestPayload({ lower: 1, upper: 2 })).toEqual(
      rlpEncode([1, 2, bloomOfTopics([]), [], 0, new Uint8Array(0), true]),
    );
    expect(decodeRequestPayload(encodeRequestPayload({ lower: 1, upper: 2 })).batch).toBe(true);
  });

  it('three fields in status-go order decode with every default', () => {
    expect(decodeRequestPayload(rlpEncode([1, 2, BLOOM]))).toEqual({
      shape: 'envelopeRlp',
      lower: 1,
      upper: 2,
      bloom: BLOOM,
      topics: [],
      limit: 0,
      cursor: new Uint8Array(0),
      batch: false,
    });
  });

  it('seven fields in status-go order are accepted, eight refused with the limit and the count', () => {
    expect(decodeRequestPayload(rlpEncode([1, 2, BLOOM, [TOPIC], 5, CURSOR, true]))).toEqual({
      shape: 'envelopeRlp',
      lower: 1,
      upper: 2,
      bloom: BLOOM,
      topics: [TOPIC],
      limit: 5,
      cursor: CURSOR,
      batch: true,
    });
    expectMalformed(() => decodeRequestPayload(rlpEncode([1, 2, BLOOM, [], 0, CURSOR, true, 1])), {
      field: 'request payload',
      max: 7,
      actual: 8,
    });
  });

  it('the spec order [lower, upper, bloom, limit, cursor, topics]: four, five and six fields; seven refused', () => {
    const base = { shape: 'envelopeRlp', lower: 1, upper: 2, bloom: BLOOM, batch: false };
    expect(decodeRequestPayload(rlpEncode([1, 2, BLOOM, 9]))).toEqual({
      ...base,
      limit: 9,
      cursor: new Uint8Array(0),
      topics: [],
    });
    expect(decodeRequestPayload(rlpEncode([1, 2, BLOOM, 9, CURSOR]))).toEqual({
      ...base,
      limit: 9,
      cursor: CURSOR,
      topics: [],
    });
    expect(decodeRequestPayload(rlpEncode([1, 2, BLOOM, 9, CURSOR, [TOPIC]]))).toEqual({
      ...base,
      limit: 9,
      cursor: CURSOR,
      topics: [TOPIC],
    });
    expectMalformed(() => decodeRequestPayload(rlpEncode([1, 2, BLOOM, 9, CURSOR, [TOPIC], 1])), {
      field: 'request payload',
      max: 6,
      actual: 7,
    });
  });

  it('a malformed field is named in details.field (no fallback to the raw layout)', () => {
    const long = new Uint8Array(80);
    const cases: [RlpInput[], string][] = [
      [[[1], 2, BLOOM, long], 'lower'],
      [[1, [2], BLOOM, long], 'upper'],
      [[1, 2, [], long], 'bloom'],
      [[1, 2, BLOOM, [], [1]], 'limit'],
      [[1, 2, BLOOM, [], 0, []], 'cursor'],
      [[1, 2, BLOOM, [], 0, CURSOR, 2], 'batch'],
      [[1, 2, BLOOM, [Uint8Array.of(1)]], 'topic'],
      [[1, 2, BLOOM, Uint8Array.of(0, 1)], 'limit'],
      [[1, 2, BLOOM, 1, []], 'cursor'],
      [[1, 2, BLOOM, 1, CURSOR, TOPIC], 'topics'],
    ];
    for (const [fields, field] of cases) {
      const err = expectMalformed(() => decodeRequestPayload(rlpEncode(fields)), { field });
      expect(err.cause).toBeDefined();
    }
  });

  it('RLP that is a byte string or a list of two is read as the raw layout (c)', () => {
    // 0x87: an RLP string of 7 bytes; the raw layout reads lower = 0x87000000, upper = 1.
    expect(decodeRequestPayload(Uint8Array.of(0x87, 0, 0, 0, 0, 0, 0, 1))).toMatchObject({
      shape: 'envelopeRaw',
      lower: 0x87000000,
      upper: 1,
    });
    // 0xc7: an RLP list of two strings (3 and 2 bytes).
    expect(decodeRequestPayload(Uint8Array.of(0xc7, 0x83, 1, 2, 3, 0x82, 4, 5))).toMatchObject({
      shape: 'envelopeRaw',
      lower: 0xc7830102,
      upper: 0x03820405,
    });
  });
});

describe('raw payload (shape c)', () => {
  const raw = (length: number) => Uint8Array.from({ length }, (_, i) => (i < 8 ? 0 : 1 + (i % 250)));

  it('7 bytes are refused as undersized bounds, 8 mean the full bloom', () => {
    expectMalformed(() => decodeRawPayload(raw(7)), { field: 'upper', minLength: 8, actual: 7 });
    expect(decodeRawPayload(raw(8)).bloom).toEqual(fullBloom());
  });

  it('a bloom of 9 to 71 bytes is refused; 72 bytes hold the bloom and no limit', () => {
    for (const length of [9, 71]) {
      expectMalformed(() => decodeRawPayload(raw(length)), { field: 'bloom', minLength: 72, actual: length });
    }
    const payload = raw(72);
    expect(decodeRawPayload(payload)).toMatchObject({ bloom: payload.subarray(8, 72), limit: 0 });
  });

  it('the limit needs all 4 bytes and the cursor all 36; shorter tails are ignored', () => {
    expect(decodeRawPayload(raw(75))).toMatchObject({ limit: 0, cursor: new Uint8Array(0) });
    const withLimit = raw(111);
    expect(decodeRawPayload(withLimit)).toMatchObject({ limit: 0x49_4a_4b_4c, cursor: new Uint8Array(0) });
    const full = raw(112);
    expect(decodeRawPayload(full).cursor).toEqual(full.subarray(76, 112));
  });

  it('encodeRawPayload writes the bloom and limit when any of bloom, limit or cursor is given', () => {
    const bounds = concatBytes(numberToBytes(1, 4), numberToBytes(2, 4));
    expect(encodeRawPayload({ lower: 1, upper: 2 })).toEqual(bounds);
    expect(encodeRawPayload({ lower: 1, upper: 2, bloom: BLOOM })).toEqual(
      concatBytes(bounds, BLOOM, numberToBytes(0, 4)),
    );
    expect(encodeRawPayload({ lower: 1, upper: 2, limit: 5 })).toEqual(
      concatBytes(bounds, fullBloom(), numberToBytes(5, 4)),
    );
    expect(encodeRawPayload({ lower: 1, upper: 2, cursor: CURSOR })).toEqual(
      concatBytes(bounds, fullBloom(), numberToBytes(0, 4), CURSOR),
    );
    expect(encodeRawPayload({ lower: 1, upper: 2, cursor: new Uint8Array(0) })).toEqual(
      concatBytes(bounds, fullBloom(), numberToBytes(0, 4)),
    );
  });
});

describe('request envelopes (shapes b and c)', () => {
  const symKey = mailserverSymKey();
  const signingKey = generatePrivateKey();

  it('buildRequestEnvelope: expiry is now + ttl, the ttl 50 s by default', () => {
    const envelope = buildRequestEnvelope({
      payload: encodeRawPayload({ lower: 1, upper: 2 }),
      signingKey,
      symKey,
      now: NOW,
    });
    expect([envelope.ttl, envelope.expiry]).toEqual([REQUEST_ENVELOPE_TTL, NOW + REQUEST_ENVELOPE_TTL]);
    const short = buildRequestEnvelope({ payload: new Uint8Array(8), signingKey, symKey, now: NOW, ttl: 10 });
    expect([short.ttl, short.expiry]).toEqual([10, NOW + 10]);
  });

  it('an envelope to the server public key opens with its private key after the symmetric key fails', () => {
    const privateKey = generatePrivateKey();
    const envelope = buildRequestEnvelope({
      payload: encodeRawPayload({ lower: 3, upper: 4 }),
      signingKey,
      publicKey: getPublicKey(privateKey),
      now: NOW,
    });
    const decoded = decodeMailRequest({ payload: envelope.raw, envelope }, { symKey, privateKey });
    expect(decoded).toMatchObject({ id: envelope.hash, shape: 'envelopeRaw', lower: 3, upper: 4 });
    expect(decoded.signer).toEqual(getPublicKey(signingKey));
    const err = thrown(() => decodeMailRequest({ payload: envelope.raw, envelope }, { symKey }));
    expect(err.code).toBe('ERR_MAILSERVER_DECRYPT');
    expect(err.details).toEqual({ requestId: envelope.hash });
  });

  it('an unsigned envelope is refused with its request id', () => {
    const data = buildEnvelopeData({ payload: encodeRequestPayload({ lower: 1, upper: 2 }), symKey });
    const envelope = Envelope.create({ expiry: NOW + 50, ttl: 50, topic: new Uint8Array(4), data });
    const err = thrown(() => decodeMailRequest({ payload: envelope.raw, envelope }, { symKey }));
    expect(err.code).toBe('ERR_MAILSERVER_UNSIGNED');
    expect(err.details).toEqual({ requestId: envelope.hash });
  });

  it('a malformed payload keeps the decoder details and adds the request id', () => {
    const envelope = buildRequestEnvelope({ payload: new Uint8Array(7), signingKey, symKey, now: NOW });
    const err = expectMalformed(() => decodeMailRequest({ payload: envelope.raw, envelope }, { symKey }), {
      field: 'upper',
      minLength: 8,
      actual: 7,
      requestId: envelope.hash,
    });
    expect(err.cause).toBeInstanceOf(MailserverError);
  });
});

describe('cursor keys', () => {
  it('afterCursorKey is the cursor followed by four 0xff bytes', () => {
    expect(afterCursorKey(CURSOR)).toEqual(concatBytes(CURSOR, Uint8Array.of(0xff, 0xff, 0xff, 0xff)));
  });

  it('cursorTime reads the sent time; a 35-byte cursor is refused with the expected length', () => {
    expect(cursorTime(concatBytes(numberToBytes(NOW, 4), new Uint8Array(32)))).toBe(NOW);
    const err = thrown(() => cursorTime(new Uint8Array(35)));
    expect(err.code).toBe('ERR_MAILSERVER_INVALID_REQUEST');
    expect(err.details).toEqual({ expected: 36, actual: 35 });
  });
});
