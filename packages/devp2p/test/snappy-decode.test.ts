import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { Devp2pErrorCode, snappyDecompress } from '../src/index.js';

// Hand-made streams for each check of the decoder. Tag bytes: literal (len - 1) << 2 (60 << 2 and 61 << 2
// take 1 and 2 length bytes), copy-1 ((offset >> 8) << 5) | ((len - 4) << 2) | 1 + 1 offset byte,
// copy-2 ((len - 1) << 2) | 2 + 2 offset bytes, copy-4 ((len - 1) << 2) | 3 + 4 offset bytes (little endian).

const badSnappy = (message?: RegExp) =>
  expect.objectContaining({
    code: Devp2pErrorCode.BadSnappy,
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });

const decode = (hex: string, max = 1000) => snappyDecompress(hexToBytes(hex), max);
const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const hex = (bytes: Uint8Array) => bytesToHex(bytes);

describe('snappy decoder: length header', () => {
  it('reads at most 5 header bytes: a 6th, even zero-valued, is refused', () => {
    expect(decode('8080808000').length).toBe(0); // 5 bytes, value 0
    expect(() => decode('808080808000')).toThrow(badSnappy(/truncated length header/));
    expect(() => decode('8080808080')).toThrow(badSnappy(/truncated length header/));
  });

  it('accepts 2^32 - 1 as a length (then the limit applies) and refuses 2^32 as corrupt', () => {
    expect(() => decode('ffffffff0f', 100)).toThrow(
      expect.objectContaining({
        code: Devp2pErrorCode.SnappyTooLarge,
        details: { length: 0xff_ff_ff_ff, limit: 100 },
      }),
    );
    expect(() => decode('8080808010', 2 ** 40)).toThrow(badSnappy(/above 2\^32 - 1/));
  });

  it('reports the declared length and the limit of a too large body', () => {
    expect(() => decode('0b' + '2868656c6c6f20776f726c64', 10)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.SnappyTooLarge, details: { length: 11, limit: 10 } }),
    );
    expect(new TextDecoder().decode(decode('0b' + '2868656c6c6f20776f726c64', 11))).toBe('hello world');
  });
});

describe('snappy decoder: literals', () => {
  it('refuses a long-literal length that is cut off, and a length with no literal after it', () => {
    expect(() => decode('04' + 'f0')).toThrow(badSnappy(/truncated literal length/));
    expect(() => decode('04' + 'f4' + '03')).toThrow(badSnappy(/truncated literal length/));
    expect(() => decode('04' + 'f0' + '03')).toThrow(badSnappy(/literal runs past the input/));
  });

  it('refuses a literal longer than the rest of the input even when the declared length matches', () => {
    expect(() => decode('03' + '0861')).toThrow(badSnappy(/literal runs past the input/));
  });

  it('refuses a long literal that runs past the declared length with a typed error', () => {
    // "a", then a 32-byte literal: 33 bytes into 32.
    expect(() => decode(`2000617c${hex(seq(32))}`)).toThrow(
      badSnappy(/literal runs past the declared length/),
    );
    expect(hex(decode(`2100617c${hex(seq(32))}`))).toBe(`61${hex(seq(32))}`);
  });

  it('decodes literals with 1- and 2-byte lengths', () => {
    expect(hex(decode(`8002f0ff${hex(seq(256))}`))).toBe(hex(seq(256)));
    expect(hex(decode(`8102f40001${hex(seq(257))}`))).toBe(hex(seq(257)));
  });
});

describe('snappy decoder: copies', () => {
  it('decodes a copy with a 4-byte offset, also as the last element', () => {
    expect(new TextDecoder().decode(decode('08' + '0c61626364' + '0f04000000'))).toBe('abcdabcd');
    // 300 bytes, then 4 of them again from offset 300 (0x012c), then "z".
    const body = seq(300, 7);
    const out = decode(`b102f42b01${hex(body)}0f2c010000007a`);
    expect(hex(out)).toBe(`${hex(body) + hex(body.subarray(0, 4))}7a`);
  });

  it('refuses copies whose offset bytes are cut off', () => {
    // 256 bytes, then a 1-byte-offset copy whose tag gives offset 256 | (missing byte).
    expect(() => decode(`8402f0ff${hex(seq(256))}21`)).toThrow(badSnappy(/truncated copy/));
    expect(() => decode('05' + '0061' + '0e01')).toThrow(badSnappy(/truncated copy/));
    expect(() => decode('05' + '0061' + '0f01')).toThrow(badSnappy(/truncated copy/));
    expect(() => decode('05' + '0061' + '0f010000')).toThrow(badSnappy(/truncated copy/));
  });

  it('refuses offsets of 0 and beyond the output so far, whatever the declared length', () => {
    expect(() => decode('05' + '0061' + '0100')).toThrow(badSnappy(/copy offset out of range/));
    expect(() => decode('05' + '0061' + '0102')).toThrow(badSnappy(/copy offset out of range/));
    expect(() => decode('05' + '0061' + '0f00000001')).toThrow(badSnappy(/copy offset out of range/));
    expect(() => decode('05' + '0061' + '0f01000001')).toThrow(badSnappy(/copy offset out of range/));
    expect(hex(decode('05' + '0061' + '0101'))).toBe('6161616161');
  });

  it('refuses a copy that runs past the declared length', () => {
    expect(() => decode('04' + '0061' + '0101')).toThrow(badSnappy(/copy runs past the declared length/));
  });

  it('copies long non-overlapping and overlapping ranges', () => {
    // 40 bytes, then 32 of them again from offset 40.
    const body = seq(40, 100);
    expect(hex(decode(`489c${hex(body)}7e2800`))).toBe(hex(body) + hex(body.subarray(0, 32)));
    // 2 bytes, then a 40-byte copy from offset 2 repeats them.
    expect(hex(decode('2a' + '040102' + '9e0200'))).toBe('0102'.repeat(21));
  });
});
