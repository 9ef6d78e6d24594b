import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { decodeStatusOptions, float64ToBits } from '../src/index.js';
import { rootMessage, thrown } from './helpers/thrown.js';

describe('waku/1 status options decoding', () => {
  it('reports the count and the limit of a topic interest that is too long', () => {
    const topics = [Uint8Array.of(1, 2, 3, 4), Uint8Array.of(5, 6, 7, 8), Uint8Array.of(9, 9, 9, 9)];
    const payload = rlpEncode([[5, topics]]);
    const err = thrown(() => decodeStatusOptions(payload, { maxTopicInterest: 2 }));
    expect(err.code).toBe('ERR_WAKU_TOO_MANY_TOPICS');
    expect(err.details).toEqual({ count: 3, max: 2 });
    expect(decodeStatusOptions(payload, { maxTopicInterest: 3 }).topicInterest).toEqual(topics);
  });

  it('keeps the RLP error as the cause of a malformed payload', () => {
    const err = thrown(() => decodeStatusOptions(Uint8Array.of(0xb8)));
    expect(err.code).toBe('ERR_WAKU_BAD_STATUS');
    expect(err.cause?.code).toBe('ERR_RLP_TRUNCATED');
  });

  it('reads a PoW requirement', () => {
    expect(decodeStatusOptions(rlpEncode([[0, float64ToBits(2.5)]]))).toStrictEqual({ powRequirement: 2.5 });
  });
});

describe('waku/1 status option errors name the bad field', () => {
  it.each([
    ['status options', rlpEncode(5)],
    ['status option', rlpEncode([5])],
    ['status option key', rlpEncode([[[1], 2]])],
    ['bloom filter', rlpEncode([[1, [1]]])],
    ['light node flag', rlpEncode([[2, 2]])],
    ['confirmations flag', rlpEncode([[3, 2]])],
    ['packet rate limits', rlpEncode([[4, 5]])],
    ['topic interest', rlpEncode([[5, 7]])],
    ['topic interest entry', rlpEncode([[5, [Uint8Array.of(1, 2, 3)]]])],
    ['bytes rate limits', rlpEncode([[6, 5]])],
  ])('names the %s', (label, payload) => {
    expect(rootMessage(() => decodeStatusOptions(payload)).startsWith(`${label} `)).toBe(true);
  });
});
