import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  encodeWhisperBloom,
  float64ToBits,
  fullBloom,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { rootMessage, thrown } from './helpers/thrown.js';

describe('shh/6 Status decoding (SHH-01)', () => {
  it('keeps the RLP error as the cause of a payload that is not a list', () => {
    const err = thrown(() => decodeWhisperStatus(rlpEncode(6)));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_LIST');
  });

  it('keeps the RLP error as the cause of a malformed version', () => {
    const err = thrown(() => decodeWhisperStatus(rlpEncode([[6]])));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_BYTES');
  });

  it('refuses a bloom filter that is a list with ERR_WAKU_BAD_STATUS, keeping the RLP error as cause', () => {
    const err = thrown(() => decodeWhisperStatus(rlpEncode([6, float64ToBits(1), [fullBloom()]])));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_BYTES');
  });

  it('reads [version, pow] without a bloom filter', () => {
    expect(decodeWhisperStatus(rlpEncode([6, float64ToBits(0.5)]))).toStrictEqual({ powRequirement: 0.5 });
  });

  it('sets no key for a later field that is absent', () => {
    const status = decodeWhisperStatus(rlpEncode([6, float64ToBits(1), fullBloom()]));
    expect(Object.keys(status)).toEqual(['powRequirement', 'bloomFilter']);
  });

  it('sets no key for a later field that is malformed', () => {
    const status = decodeWhisperStatus(rlpEncode([6, float64ToBits(1), fullBloom(), 2, [1], [1, 2]]));
    expect(Object.keys(status)).toEqual(['powRequirement', 'bloomFilter']);
  });

  it('reads every later field when present', () => {
    const status = decodeWhisperStatus(rlpEncode([6, float64ToBits(1), fullBloom(), true, false, [1, 2, 3]]));
    expect(status).toStrictEqual({
      powRequirement: 1,
      bloomFilter: fullBloom(),
      lightNode: true,
      confirmationsEnabled: false,
      rateLimits: { ip: 1, peerId: 2, topic: 3 },
    });
  });
});

describe('shh/6 PoW, bloom and rate-limit packets', () => {
  it('keeps the RLP error as the cause of a malformed PoW requirement', () => {
    const err = thrown(() => decodeWhisperPow(Uint8Array.of(0xb8)));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_TRUNCATED');
  });

  it('keeps the RLP error as the cause of malformed rate limits', () => {
    const err = thrown(() => decodeWhisperRateLimits(Uint8Array.of(0xb8)));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_TRUNCATED');
  });

  it('encodes a bloom filter of exactly 64 bytes only', () => {
    expect(code(() => encodeWhisperBloom(new Uint8Array(63)))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(code(() => encodeWhisperBloom(new Uint8Array(65)))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(encodeWhisperBloom(fullBloom())).toEqual(rlpEncode(fullBloom()));
  });
});

describe('shh/6 errors name the bad field', () => {
  it.each([
    ['whisper status', () => decodeWhisperStatus(rlpEncode(6))],
    ['whisper version', () => decodeWhisperStatus(rlpEncode([[6]]))],
    ['bloom filter', () => decodeWhisperStatus(rlpEncode([6, 0, [1]]))],
    ['bloom filter', () => decodeWhisperBloom(rlpEncode([1]))],
  ])('names the %s', (label, fn) => {
    expect(rootMessage(fn).startsWith(`${label} `)).toBe(true);
  });
});
