import { describe, expect, it } from 'vitest';
import {
  RlpErrorCode,
  rlpDecode,
  rlpEncode,
  rlpToBytes,
  rlpToList,
  rlpToUint,
  rlpToUtf8,
} from '../src/index.js';
import { errorOf } from './error-of.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('RLP decode error details', () => {
  it('gives the offset of a truncated item', () => {
    const long = errorOf(() => rlpDecode(new Uint8Array([0xb8, 56, ...new Uint8Array(10)])));
    expect(long.code).toBe(RlpErrorCode.Truncated);
    expect(long.details).toStrictEqual({ offset: 0 });
    // 60 bytes announced after the 2-byte header, 58 present.
    const short = errorOf(() => rlpDecode(new Uint8Array([0xb8, 60, ...new Uint8Array(58)])));
    expect(short.code).toBe(RlpErrorCode.Truncated);
    expect(short.details).toStrictEqual({ offset: 0 });
    // Inside a 2-byte list, a 2-byte string has one byte left.
    const inList = errorOf(() => rlpDecode(bytes(0xc2, 0x82, 0x01)));
    expect(inList.code).toBe(RlpErrorCode.Truncated);
    expect(inList.details).toStrictEqual({ offset: 1 });
  });

  it('gives the offset of a non-canonical item', () => {
    const err = errorOf(() => rlpDecode(bytes(0xc2, 0x81, 0x05)));
    expect(err.code).toBe(RlpErrorCode.NonCanonical);
    expect(err.details).toStrictEqual({ offset: 1 });
  });

  it('reports what was consumed before trailing bytes', () => {
    const err = errorOf(() => rlpDecode(bytes(0x01, 0x02)));
    expect(err.code).toBe(RlpErrorCode.Trailing);
    expect(err.details).toStrictEqual({ consumed: 1, length: 2 });
  });

  it('accepts exactly maxDepth levels and names the limit one deeper', () => {
    expect(rlpDecode(bytes(0xc1, 0x01), { maxDepth: 1 })).toEqual([bytes(0x01)]);
    const err = errorOf(() => rlpDecode(bytes(0xc1, 0xc0), { maxDepth: 1 }));
    expect(err.code).toBe(RlpErrorCode.TooDeep);
    expect(err.details).toStrictEqual({ maxDepth: 1, offset: 1 });
    expect(errorOf(() => rlpDecode(bytes(0xc0), { maxDepth: 0 })).details).toStrictEqual({
      maxDepth: 0,
      offset: 0,
    });
  });

  it('accepts exactly maxItems items and names the limit one over', () => {
    expect(rlpDecode(bytes(0x01), { maxItems: 1 })).toEqual(bytes(0x01));
    expect(rlpDecode(bytes(0xc1, 0x01), { maxItems: 2 })).toEqual([bytes(0x01)]);
    const err = errorOf(() => rlpDecode(bytes(0xc2, 0x01, 0x02), { maxItems: 2 }));
    expect(err.code).toBe(RlpErrorCode.TooManyItems);
    expect(err.details).toStrictEqual({ maxItems: 2, offset: 2 });
    expect(errorOf(() => rlpDecode(bytes(0x01), { maxItems: 0 })).details).toStrictEqual({
      maxItems: 0,
      offset: 0,
    });
  });
});

describe('RLP encode error details', () => {
  it('names the depth limit', () => {
    expect(rlpEncode([1], { maxDepth: 1 })).toEqual(bytes(0xc1, 0x01));
    const err = errorOf(() => rlpEncode([[1]], { maxDepth: 1 }));
    expect(err.code).toBe(RlpErrorCode.TooDeep);
    expect(err.details).toStrictEqual({ maxDepth: 1 });
  });
});

describe('RLP accessor error details', () => {
  it('gives expected and actual lengths', () => {
    const b = errorOf(() => rlpToBytes(bytes(1, 2, 3), 4));
    expect(b.code).toBe(RlpErrorCode.WrongLength);
    expect(b.details).toStrictEqual({ expected: 4, actual: 3 });
    const l = errorOf(() => rlpToList([bytes(1)], 2));
    expect(l.code).toBe(RlpErrorCode.WrongLength);
    expect(l.details).toStrictEqual({ expected: 2, actual: 1 });
  });

  it('gives the width of an integer too wide', () => {
    const err = errorOf(() => rlpToUint(bytes(1, 2, 3), 2));
    expect(err.code).toBe(RlpErrorCode.IntegerOverflow);
    expect(err.details).toStrictEqual({ maxBytes: 2, actual: 3 });
    expect(rlpToUint(bytes(1, 2), 2)).toBe(0x102);
  });

  it('keeps the decoder error of invalid UTF-8 as the cause', () => {
    const err = errorOf(() => rlpToUtf8(bytes(0xff)));
    expect(err.code).toBe(RlpErrorCode.InvalidUtf8);
    expect(err.cause).toBeInstanceOf(Error);
  });
});
