import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  EMPTY_PAYLOAD,
  encodePayload,
  MAX_GROUP_ID_LENGTH,
  MAX_PAYLOAD_RECORDS,
  MAX_PAYLOAD_SIZE,
  MvdsError,
  MvdsErrorCode,
  type MvdsMessage,
  messageId,
  messageSize,
  type PayloadLimits,
  parseMvdsPayload,
} from '../src/index.js';
import { example, exampleMessage } from './helpers/vectors.js';

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);

function expectCode(fn: () => unknown, code: string): MvdsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MvdsError);
    expect((err as MvdsError).code).toBe(code);
    return err as MvdsError;
  }
  throw new Error(`expected ${code}`);
}

/** Hand-encoded varint tag + length-delimited field, to build inputs the encoder would never produce. */
function field(fieldNo: number, bytes: Uint8Array): Uint8Array {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  return concatBytes(new Uint8Array([...varint((fieldNo << 3) | 2), ...varint(bytes.length)]), bytes);
}

describe('payload codec', () => {
  it('round-trips every record kind in field-number order', () => {
    const payload = { acks: [id(1)], offers: [id(2), id(3)], requests: [id(4)], messages: [exampleMessage] };
    const bytes = encodePayload(payload);
    expect(decodePayload(bytes)).toEqual(payload);
    // acks (5001) first, messages (5004) last.
    expect(bytesToHex(bytes.subarray(0, 3))).toBe('cab802');
  });

  it('encodes an empty payload as zero bytes and decodes it as empty', () => {
    expect(encodePayload(EMPTY_PAYLOAD)).toHaveLength(0);
    expect(decodePayload(new Uint8Array())).toEqual(EMPTY_PAYLOAD);
  });

  it('keeps negative and extreme int64 timestamps exact (id uses the two`s complement bytes)', () => {
    for (const timestamp of [-1n, -(2n ** 63n), 2n ** 63n - 1n, 0n]) {
      const m: MvdsMessage = { groupId: id(9), timestamp, body: new Uint8Array([1]) };
      const back = decodePayload(encodePayload({ ...EMPTY_PAYLOAD, messages: [m] })).messages[0]!;
      expect(back.timestamp).toBe(timestamp);
      expect(messageId(back)).toEqual(messageId(m));
    }
    // -1 and 2^64-1 share the 8 little-endian bytes, hence the id.
    const a = messageId({ groupId: id(1), timestamp: -1n, body: new Uint8Array() });
    const b = messageId({ groupId: id(1), timestamp: 2n ** 64n - 1n, body: new Uint8Array() });
    expect(a).toEqual(b);
  });

  it('messageSize is the exact encoded size (proto3 leaves empty fields out)', () => {
    const cases: MvdsMessage[] = [
      exampleMessage,
      { groupId: new Uint8Array(), timestamp: 0n, body: new Uint8Array() },
      { groupId: id(1), timestamp: -5n, body: new Uint8Array(200) },
      { groupId: new Uint8Array(3), timestamp: 2n ** 40n, body: new Uint8Array(20_000) },
    ];
    for (const m of cases) {
      const encoded = encodePayload({ ...EMPTY_PAYLOAD, messages: [m] });
      // enclosing field: 3-byte tag + varint length
      expect(encoded.length - 3 - (messageSize(m) < 128 ? 1 : messageSize(m) < 16384 ? 2 : 3)).toBe(
        messageSize(m),
      );
    }
  });

  it('skips unknown fields (newer peers, e.g. status-im/mvds group_offers 5005)', () => {
    const bytes = concatBytes(
      encodePayload({ ...EMPTY_PAYLOAD, acks: [id(7)] }),
      field(5005, new Uint8Array([1, 2])),
    );
    expect(decodePayload(bytes).acks).toEqual([id(7)]);
  });

  it('returns copies, not views of the input buffer', () => {
    const bytes = encodePayload({
      acks: [id(7)],
      offers: [id(8)],
      requests: [id(9)],
      messages: [exampleMessage],
    });
    const payload = decodePayload(bytes);
    bytes.fill(0);
    expect(payload.acks[0]).toEqual(id(7));
    expect(payload.offers[0]).toEqual(id(8));
    expect(payload.requests[0]).toEqual(id(9));
    expect(payload.messages[0]!.groupId).toEqual(exampleMessage.groupId);
    expect(payload.messages[0]!.body).toEqual(exampleMessage.body);
  });
});

describe('payload limits and strictness', () => {
  it('rejects a payload above maxPayloadSize before decoding (default MAX_PAYLOAD_SIZE)', () => {
    expectCode(() => decodePayload(new Uint8Array(MAX_PAYLOAD_SIZE + 1)), MvdsErrorCode.PayloadTooLarge);
    const small = encodePayload({ ...EMPTY_PAYLOAD, acks: [id(1), id(2)] });
    expect(decodePayload(small, { maxPayloadSize: small.length }).acks).toHaveLength(2);
    const err = expectCode(
      () => decodePayload(small, { maxPayloadSize: small.length - 1 }),
      MvdsErrorCode.PayloadTooLarge,
    );
    expect(err.details).toEqual({ size: small.length, limit: small.length - 1 });
  });

  it('limits the number of records (default MAX_PAYLOAD_RECORDS)', () => {
    // Empty messages (4 bytes each) are the cheapest records: 32,769 of them fit in 132 KB.
    const empty: MvdsMessage = { groupId: new Uint8Array(), timestamp: 0n, body: new Uint8Array() };
    const messages = Array.from({ length: MAX_PAYLOAD_RECORDS + 1 }, () => empty);
    const bytes = encodePayload({ ...EMPTY_PAYLOAD, messages });
    expectCode(() => decodePayload(bytes), MvdsErrorCode.TooManyRecords);
    expect(decodePayload(bytes, { maxRecords: MAX_PAYLOAD_RECORDS + 1 }).messages).toHaveLength(
      messages.length,
    );
    const mixed = encodePayload({
      acks: [id(1)],
      offers: [id(2)],
      requests: [id(3)],
      messages: [exampleMessage],
    });
    expect(decodePayload(mixed, { maxRecords: 4 }).messages).toHaveLength(1);
    const err = expectCode(() => decodePayload(mixed, { maxRecords: 3 }), MvdsErrorCode.TooManyRecords);
    expect(err.details).toEqual({ count: 4, limit: 3 });
  });

  it('requires 32-byte ids in acks, offers and requests', () => {
    const kinds = { acks: 'ack', offers: 'offer', requests: 'request' } as const;
    for (const [list, kind] of Object.entries(kinds)) {
      for (const length of [0, 31, 33]) {
        const bytes = encodePayload({ ...EMPTY_PAYLOAD, [list]: [new Uint8Array(length)] });
        const err = expectCode(() => decodePayload(bytes), MvdsErrorCode.BadMessageId);
        // An empty id is left out by proto3 only for singular fields; repeated ones keep it.
        expect(err.details).toEqual({ kind, length });
      }
    }
  });

  it('limits the group id length (default MAX_GROUP_ID_LENGTH)', () => {
    const m = (n: number): MvdsMessage => ({
      groupId: new Uint8Array(n),
      timestamp: 1n,
      body: new Uint8Array(1),
    });
    const ok = encodePayload({ ...EMPTY_PAYLOAD, messages: [m(MAX_GROUP_ID_LENGTH)] });
    expect(decodePayload(ok).messages).toHaveLength(1);
    const tooLong = encodePayload({ ...EMPTY_PAYLOAD, messages: [m(MAX_GROUP_ID_LENGTH + 1)] });
    const err = expectCode(() => decodePayload(tooLong), MvdsErrorCode.BadPayload);
    expect(err.details).toEqual({ length: MAX_GROUP_ID_LENGTH + 1, limit: MAX_GROUP_ID_LENGTH });
    expect(decodePayload(tooLong, { maxGroupIdLength: MAX_GROUP_ID_LENGTH + 1 }).messages).toHaveLength(1);
  });

  it('wraps protobuf failures as ERR_MVDS_BAD_PAYLOAD with the cause', () => {
    const truncated = hexToBytes(example.payload_with_message).subarray(0, 40);
    const err = expectCode(() => decodePayload(truncated), MvdsErrorCode.BadPayload);
    expect(err.cause).toBeInstanceOf(Error);
    // field 5001 (bytes) sent as a varint: wrong wire type
    expectCode(() => decodePayload(new Uint8Array([0xc8, 0xb8, 0x02, 0x01])), MvdsErrorCode.BadPayload);
    expectCode(() => decodePayload('nope' as unknown as Uint8Array), MvdsErrorCode.BadPayload);
  });

  it('refuses byte containers other than Uint8Array instead of decoding their memory', () => {
    const valid = encodePayload({ ...EMPTY_PAYLOAD, acks: [id(1)] });
    for (const bytes of [new Uint8ClampedArray(valid), new Uint16Array(0), new Uint8ClampedArray(0)]) {
      const err = expectCode(() => decodePayload(bytes as unknown as Uint8Array), MvdsErrorCode.BadPayload);
      // Refused up front: no protobuf error behind it.
      expect(err.cause).toBeUndefined();
    }
    expect(parseMvdsPayload(new Uint8ClampedArray(valid) as unknown as Uint8Array)).toBeUndefined();
  });

  it('survives absurdly nested groups with a typed error', () => {
    // 0x0b = field 1, wire type 3 (start group), repeated: protobuf-es recurses while skipping.
    const nested = new Uint8Array(200_000).fill(0x0b);
    expectCode(() => decodePayload(nested), MvdsErrorCode.BadPayload);
  });

  it('parseMvdsPayload: MVDS only with at least one record, never throws on junk', () => {
    expect(parseMvdsPayload(new Uint8Array())).toBeUndefined();
    expect(parseMvdsPayload(new Uint8Array([0xff, 0xff]))).toBeUndefined();
    expect(parseMvdsPayload(field(5005, new Uint8Array([1])))).toBeUndefined();
    expect(parseMvdsPayload(encodePayload({ ...EMPTY_PAYLOAD, offers: [id(1)] }))?.offers).toEqual([id(1)]);
  });

  it('parseMvdsPayload only swallows MVDS errors: a caller bug still throws', () => {
    const bytes = encodePayload({ ...EMPTY_PAYLOAD, offers: [id(1)] });
    expect(() => parseMvdsPayload(bytes, null as unknown as PayloadLimits)).toThrow(TypeError);
  });
});
