import { utf8ToBytes } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { decodeBatchAck, decodeMessageResponse, encodeMessageResponse } from '../src/index.js';
import { rootMessage, thrown } from './helpers/thrown.js';

const BATCH = new Uint8Array(32).fill(1);
const HASH = new Uint8Array(32).fill(2);

describe('Message Response (code 12) decoding', () => {
  it('round-trips a response with errors', () => {
    const response = { batchHash: BATCH, errors: [{ hash: HASH, code: 1, description: 'too old' }] };
    expect(decodeMessageResponse(encodeMessageResponse(response))).toEqual(response);
  });

  it('keeps the RLP error as the cause of a malformed payload', () => {
    const err = thrown(() => decodeMessageResponse(Uint8Array.of(0xb8)));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause?.code).toBe('ERR_RLP_TRUNCATED');
  });

  it('rejects an outer list of three items with its own error, not a wrapped one', () => {
    const err = thrown(() => decodeMessageResponse(rlpEncode([1, [BATCH, []], 3])));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause).toBeUndefined();
  });

  it('rejects a body of three items', () => {
    const err = thrown(() => decodeMessageResponse(rlpEncode([1, [BATCH, [], 3]])));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause).toBeUndefined();
  });

  it('rejects an envelope error of four fields', () => {
    const err = thrown(() => decodeMessageResponse(rlpEncode([1, [BATCH, [[HASH, 1, 'x', 4]]]])));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause).toBeUndefined();
  });

  it('keeps the RLP error as the cause of a malformed batch ack', () => {
    const err = thrown(() => decodeBatchAck(rlpEncode(new Uint8Array(31))));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause?.code).toBe('ERR_RLP_WRONG_LENGTH');
  });
});

describe('Message Response errors name the bad field', () => {
  it.each([
    ['message response', () => decodeMessageResponse(rlpEncode(1))],
    ['message response version', () => decodeMessageResponse(rlpEncode([[1], [BATCH, []]]))],
    ['message response body', () => decodeMessageResponse(rlpEncode([1, 5]))],
    ['batch hash', () => decodeMessageResponse(rlpEncode([1, [HASH.subarray(1), []]]))],
    ['envelope errors', () => decodeMessageResponse(rlpEncode([1, [BATCH, 5]]))],
    ['envelope error', () => decodeMessageResponse(rlpEncode([1, [BATCH, [5]]]))],
    [
      'envelope error hash',
      () => decodeMessageResponse(rlpEncode([1, [BATCH, [[HASH.subarray(1), 1, 'x']]]])),
    ],
    ['envelope error code', () => decodeMessageResponse(rlpEncode([1, [BATCH, [[HASH, [1], 'x']]]]))],
    ['envelope error description', () => decodeMessageResponse(rlpEncode([1, [BATCH, [[HASH, 1, [1]]]]]))],
    ['batch hash', () => decodeBatchAck(rlpEncode(utf8ToBytes('short')))],
  ])('names the %s', (label, fn) => {
    expect(rootMessage(fn).startsWith(`${label} `)).toBe(true);
  });
});
