import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, DnsErrorCode } from '../src/index.js';
import { thrown } from './helpers/fixtures.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('base32', () => {
  it('encodes the RFC 4648 test vectors without padding', () => {
    const texts = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const want = ['', 'MY', 'MZXQ', 'MZXW6', 'MZXW6YQ', 'MZXW6YTB', 'MZXW6YTBOI'];
    expect(texts.map((t) => base32Encode(ascii(t)))).toEqual(want);
    expect(want.map((w) => new TextDecoder().decode(base32Decode(w)))).toEqual(texts);
  });

  it('decodes every letter of the alphabet', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    expect(base32Encode(base32Decode(alphabet))).toBe(alphabet);
  });

  it.each([1, 3, 6, 9, 11, 14])('rejects the impossible length %i', (length) => {
    const err = thrown(() => base32Decode('A'.repeat(length)));
    expect(err.code).toBe(DnsErrorCode.BadRecord);
  });

  it.each([0, 2, 4, 5, 7, 8, 10])('accepts the length %i', (length) => {
    expect(base32Decode('A'.repeat(length)).length).toBe(Math.floor((length * 5) / 8));
  });

  it.each([
    ['MZ1Q', 2],
    ['mzxq', 0],
    ['MZX=', 3],
    ['MZX\u0080', 3],
    ['MZ\u00c1Q', 2],
    ['M\u0100XQ', 1],
  ])('rejects %j with the position of the bad character', (text, position) => {
    const err = thrown(() => base32Decode(text));
    expect(err.code).toBe(DnsErrorCode.BadRecord);
    expect(err.details).toEqual({ position });
  });

  it('rejects non-zero unused bits unless strict is false', () => {
    expect(thrown(() => base32Decode('MZ')).code).toBe(DnsErrorCode.BadRecord);
    expect(thrown(() => base32Decode('MZ', {})).code).toBe(DnsErrorCode.BadRecord);
    expect(base32Decode('MZ', { strict: false })).toEqual(ascii('f'));
  });
});
