import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUvarint, encodeUvarint } from '../src/varint.js';

describe('multiformats unsigned-varint', () => {
  it('encodes 0xe7 (secp256k1-pub) as e7 01, as the account spec shows', () => {
    expect([...encodeUvarint(0xe7)]).toEqual([0xe7, 0x01]);
    expect(decodeUvarint(Uint8Array.of(0xe7, 0x01, 0x02))).toEqual({ value: 0xe7, length: 2 });
  });

  it('examples from the unsigned-varint spec', () => {
    expect([...encodeUvarint(1)]).toEqual([0x01]);
    expect([...encodeUvarint(127)]).toEqual([0x7f]);
    expect([...encodeUvarint(128)]).toEqual([0x80, 0x01]);
    expect([...encodeUvarint(255)]).toEqual([0xff, 0x01]);
    expect([...encodeUvarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeUvarint(16384)]).toEqual([0x80, 0x80, 0x01]);
  });

  it('refuses truncated, non-minimal and over-long input', () => {
    expect(decodeUvarint(new Uint8Array(0))).toBeUndefined();
    expect(decodeUvarint(Uint8Array.of(0x80))).toBeUndefined();
    expect(decodeUvarint(Uint8Array.of(0x81, 0x00))).toBeUndefined();
    expect(decodeUvarint(new Uint8Array(10).fill(0x81))).toBeUndefined();
  });

  it('round trips safe integers (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const bytes = encodeUvarint(n);
        expect(decodeUvarint(bytes)).toEqual({ value: n, length: bytes.length });
      }),
      { numRuns: 1000 },
    );
  });
});
