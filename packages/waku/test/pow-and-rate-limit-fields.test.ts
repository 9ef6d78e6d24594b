import { rlpDecode, rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { decodeRateLimits, decodeWhisperPow } from '../src/index.js';
import { assertValidPow, decodePowBits } from '../src/wire/float-bits.js';
import { rootMessage, thrown } from './helpers/thrown.js';

describe('PoW requirement as float64 bits', () => {
  it('keeps the RLP error as the cause of a PoW that is not an integer', () => {
    const err = thrown(() => decodeWhisperPow(rlpEncode([1])));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_BYTES');
  });

  it('names the PoW requirement by default', () => {
    expect(rootMessage(() => assertValidPow(-1))).toMatch(/^PoW requirement /);
    expect(rootMessage(() => decodePowBits(rlpDecode(rlpEncode([1]))))).toMatch(/^PoW requirement /);
  });
});

describe('rate limits [ip, peerId, topic]', () => {
  it('rejects four entries with its own error, not a wrapped one', () => {
    const err = thrown(() => decodeRateLimits(rlpDecode(rlpEncode([1, 2, 3, 4]))));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause).toBeUndefined();
  });

  it('keeps the RLP error as the cause of a malformed entry', () => {
    const err = thrown(() => decodeRateLimits(rlpDecode(rlpEncode([1, [2], 3]))));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_EXPECTED_BYTES');
  });

  it('names the rate limits by default', () => {
    expect(rootMessage(() => decodeRateLimits(rlpDecode(rlpEncode(5))))).toMatch(/^rate limits /);
  });
});
