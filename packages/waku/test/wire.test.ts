import { rlpDecode, rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  decodeBatchAck,
  decodeMessageResponse,
  decodeP2PRequestComplete,
  decodeRateLimits,
  decodeStatusOptions,
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  encodeP2PRequestComplete,
  encodeStatusOptions,
  encodeWhisperPow,
  encodeWhisperStatus,
  float64ToBits,
  fullBloom,
  MAX_TOPIC_INTEREST,
} from '../src/index.js';
import { code } from './helpers/errors.js';

describe('waku/1 status options (WAKU-02, WAKU-05)', () => {
  it('round-trips every option, in key order', () => {
    const options = {
      powRequirement: 0.002,
      bloomFilter: fullBloom(),
      lightNode: true,
      confirmationsEnabled: false,
      packetRateLimits: { ip: 1, peerId: 2, topic: 3 },
      topicInterest: [Uint8Array.of(1, 2, 3, 4)],
      bytesRateLimits: { ip: 4, peerId: 5, topic: 6 },
    };
    const encoded = encodeStatusOptions(options);
    expect(decodeStatusOptions(encoded)).toEqual(options);
    // Any order is accepted; a repeated key keeps the last value.
    const shuffled = rlpEncode([
      [2, true],
      [0, float64ToBits(1)],
      [0, float64ToBits(3)],
    ]);
    expect(decodeStatusOptions(shuffled)).toEqual({ lightNode: true, powRequirement: 3 });
    expect(decodeStatusOptions(rlpEncode([]))).toEqual({});
  });

  it('skips unknown keys of any shape', () => {
    expect(decodeStatusOptions(rlpEncode([[7, [1, [2]]], [1000], [2, false]]))).toEqual({ lightNode: false });
  });

  it('validates known values', () => {
    const bad = [
      rlpEncode([[0, float64ToBits(Number.POSITIVE_INFINITY)]]),
      rlpEncode([[0, float64ToBits(-0.5)]]),
      rlpEncode([[0, 1n << 64n]]),
      rlpEncode([[2, 2]]),
      rlpEncode([[4, [1, 2]]]),
      rlpEncode([[4, [1, 2, 3, 4]]]),
      rlpEncode([[5, [Uint8Array.of(1, 2, 3)]]]),
      rlpEncode([[5, 1]]),
      rlpEncode([[0]]),
      rlpEncode([[0, 1, 2]]),
      rlpEncode([1]),
      rlpEncode(1),
      Uint8Array.of(0xc5, 0xc4),
    ];
    for (const payload of bad) expect(code(() => decodeStatusOptions(payload))).toBe('ERR_WAKU_BAD_STATUS');
    expect(code(() => decodeStatusOptions(rlpEncode([[1, new Uint8Array(63)]])))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(decodeStatusOptions(rlpEncode([[1, new Uint8Array(0)]]))).toEqual({
      bloomFilter: new Uint8Array(0),
    });
  });

  it(`caps topic interest at ${MAX_TOPIC_INTEREST} topics (configurable)`, () => {
    const topics = Array.from({ length: MAX_TOPIC_INTEREST + 1 }, (_, i) =>
      Uint8Array.of(0, 0, i >> 8, i & 0xff),
    );
    expect(code(() => decodeStatusOptions(encodeStatusOptions({ topicInterest: topics })))).toBe(
      'ERR_WAKU_TOO_MANY_TOPICS',
    );
    expect(
      decodeStatusOptions(encodeStatusOptions({ topicInterest: topics.slice(1) })).topicInterest,
    ).toHaveLength(MAX_TOPIC_INTEREST);
    expect(
      code(() =>
        decodeStatusOptions(encodeStatusOptions({ topicInterest: topics.slice(0, 3) }), {
          maxTopicInterest: 2,
        }),
      ),
    ).toBe('ERR_WAKU_TOO_MANY_TOPICS');
  });

  it('refuses to encode invalid values', () => {
    expect(code(() => encodeStatusOptions({ powRequirement: Number.NaN }))).toBe('ERR_WAKU_BAD_STATUS');
    expect(code(() => encodeStatusOptions({ bloomFilter: new Uint8Array(3) }))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(code(() => encodeStatusOptions({ topicInterest: [new Uint8Array(5)] }))).toBe(
      'ERR_WAKU_BAD_TOPIC',
    );
  });

  it('saturates huge rate limits', () => {
    expect(decodeRateLimits(rlpDecode(rlpEncode([(1n << 64n) - 1n, 0, 1])))).toEqual({
      ip: Number.MAX_SAFE_INTEGER,
      peerId: 0,
      topic: 1,
    });
  });
});

describe('shh/6 status and updates (SHH-01)', () => {
  it('round-trips the full positional Status and tolerates malformed optional tail fields', () => {
    const status = {
      powRequirement: 0.2,
      bloomFilter: fullBloom(),
      lightNode: true,
      confirmationsEnabled: true,
      rateLimits: { ip: 1, peerId: 2, topic: 3 },
    };
    expect(decodeWhisperStatus(encodeWhisperStatus(status))).toEqual(status);
    expect(decodeWhisperStatus(rlpEncode([6, float64ToBits(1), new Uint8Array(0), 7, 'x', [1]]))).toEqual({
      powRequirement: 1,
      bloomFilter: new Uint8Array(0),
    });
  });

  it('refuses a wrong version, an invalid PoW or a wrong bloom size', () => {
    for (const payload of [
      rlpEncode([7]),
      rlpEncode([]),
      rlpEncode([6, float64ToBits(Number.NaN)]),
      rlpEncode(6),
    ]) {
      expect(code(() => decodeWhisperStatus(payload))).toBe('ERR_WAKU_BAD_STATUS');
    }
    expect(code(() => decodeWhisperStatus(rlpEncode([6, 0, new Uint8Array(5)])))).toBe('ERR_WAKU_BAD_BLOOM');
  });

  it('codes PoW (2), bloom (3) and rate limits (20)', () => {
    expect(decodeWhisperPow(encodeWhisperPow(0.5))).toBe(0.5);
    expect(code(() => decodeWhisperPow(rlpEncode([1])))).toBe('ERR_WAKU_BAD_STATUS');
    expect(code(() => decodeWhisperBloom(rlpEncode(new Uint8Array(0))))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(code(() => decodeWhisperBloom(Uint8Array.of(0xff)))).toBe('ERR_WAKU_BAD_STATUS');
    expect(decodeWhisperRateLimits(rlpEncode([1, 2, 3]))).toEqual({ ip: 1, peerId: 2, topic: 3 });
    expect(code(() => decodeWhisperRateLimits(rlpEncode([1, 2])))).toBe('ERR_WAKU_BAD_STATUS');
  });
});

describe('confirmations and P2P request complete', () => {
  it('rejects malformed confirmations with ERR_WAKU_BAD_PACKET', () => {
    const hash = new Uint8Array(32);
    for (const payload of [
      rlpEncode([1]),
      rlpEncode([1, [hash]]),
      rlpEncode([1, [new Uint8Array(31), []]]),
      rlpEncode([1, [hash, [[hash, 1]]]]),
      rlpEncode([1, [hash, []], 3]),
    ]) {
      expect(code(() => decodeMessageResponse(payload))).toBe('ERR_WAKU_BAD_PACKET');
    }
    expect(decodeMessageResponse(rlpEncode([2, 'anything']))).toBeUndefined();
    expect(code(() => decodeBatchAck(rlpEncode(new Uint8Array(31))))).toBe('ERR_WAKU_BAD_PACKET');
  });

  it('splits request-complete payloads as status-go does', () => {
    const id = new Uint8Array(32).fill(1);
    const last = new Uint8Array(32).fill(2);
    const cursor = new Uint8Array(36).fill(3);
    expect(decodeP2PRequestComplete(encodeP2PRequestComplete({ requestId: id }))).toEqual({ requestId: id });
    expect(
      decodeP2PRequestComplete(encodeP2PRequestComplete({ requestId: id, lastEnvelopeHash: last })),
    ).toEqual({
      requestId: id,
      lastEnvelopeHash: last,
    });
    expect(
      decodeP2PRequestComplete(encodeP2PRequestComplete({ requestId: id, lastEnvelopeHash: last, cursor })),
    ).toEqual({
      requestId: id,
      lastEnvelopeHash: last,
      cursor,
    });
    expect(decodeP2PRequestComplete(encodeP2PRequestComplete({ requestId: id, error: 'boom' }))).toEqual({
      requestId: id,
      error: 'boom',
    });
    expect(code(() => decodeP2PRequestComplete(rlpEncode(new Uint8Array(31))))).toBe('ERR_WAKU_BAD_PACKET');
    expect(code(() => decodeP2PRequestComplete(rlpEncode(new Uint8Array(101).fill(1))))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
    expect(code(() => decodeP2PRequestComplete(rlpEncode([id])))).toBe('ERR_WAKU_BAD_PACKET');
    expect(code(() => encodeP2PRequestComplete({ requestId: new Uint8Array(3) }))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
    expect(code(() => encodeP2PRequestComplete({ requestId: id, cursor: new Uint8Array(5) }))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
  });
});
