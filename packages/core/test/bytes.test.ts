import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  bytesToNumber,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  constantTimeEqual,
  equalBytes,
  hexToBytes,
  numberToBytes,
  StatusTsError,
  utf8ToBytes,
  xorBytes,
} from '../src/index.js';

describe('hex', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
        expect(bytesToHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a 0x prefix and upper case', () => {
    expect(hexToBytes('0xDEADbeef')).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(hexToBytes('')).toEqual(new Uint8Array());
  });

  it('rejects odd length and bad digits with ERR_INVALID_HEX', () => {
    for (const bad of ['abc', '0xzz', 'g0', '0x0', ' 00']) {
      expect(() => hexToBytes(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HEX' }));
    }
  });
});

describe('byte helpers', () => {
  it('concatenates, compares and xors', () => {
    const a = Uint8Array.of(1, 2);
    const b = Uint8Array.of(3);
    expect(concatBytes(a, b, new Uint8Array())).toEqual(Uint8Array.of(1, 2, 3));
    expect(equalBytes(a, Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(a, Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(a, b)).toBe(false);
    expect(constantTimeEqual(a, Uint8Array.of(1, 2))).toBe(true);
    expect(constantTimeEqual(a, Uint8Array.of(1, 3))).toBe(false);
    expect(constantTimeEqual(a, b)).toBe(false);
    expect(compareBytes(a, Uint8Array.of(1, 2, 0))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(2), a)).toBeGreaterThan(0);
    expect(xorBytes(Uint8Array.of(0xff, 0x0f), Uint8Array.of(0x0f, 0x0f))).toEqual(Uint8Array.of(0xf0, 0));
    expect(() => xorBytes(a, b)).toThrow(StatusTsError);
  });

  it('converts integers to minimal and padded big-endian forms', () => {
    expect(bigIntToBytes(0n)).toEqual(new Uint8Array());
    expect(bigIntToBytes(0x1234n)).toEqual(Uint8Array.of(0x12, 0x34));
    expect(bigIntToBytes(1n, 4)).toEqual(Uint8Array.of(0, 0, 0, 1));
    expect(() => bigIntToBytes(0x10000n, 2)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LENGTH' }));
    expect(() => bigIntToBytes(-1n)).toThrow(StatusTsError);
    expect(numberToBytes(30303)).toEqual(Uint8Array.of(0x76, 0x5f));
    expect(() => numberToBytes(1.5)).toThrow(StatusTsError);
    expect(() => bytesToNumber(new Uint8Array(8).fill(0xff))).toThrow(StatusTsError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => {
        expect(bytesToBigInt(bigIntToBytes(n))).toBe(n);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(bytesToNumber(numberToBytes(n))).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes UTF-8 strictly', () => {
    expect(bytesToUtf8(utf8ToBytes('status ✓'))).toBe('status ✓');
    expect(() => bytesToUtf8(Uint8Array.of(0xff, 0xfe))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_UTF8' }),
    );
    expect(() => bytesToUtf8(Uint8Array.of(0x80))).toThrow(StatusTsError);
    // A leading byte order mark is kept: it is part of the text (TextDecoder's default would drop it).
    expect(bytesToUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
  });
});
