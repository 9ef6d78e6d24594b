import { StatusTsError } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode } from '../src/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusTsError)) throw err;
    return err.code;
  }
  throw new Error('expected a StatusTsError');
}

describe('base64url (RFC 4648 section 5, no padding)', () => {
  it('matches RFC 4648 test vectors (URL alphabet, padding removed)', () => {
    const rfc: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of rfc) {
      expect(base64UrlEncode(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(base64UrlDecode(encoded))).toBe(plain);
    }
    expect(base64UrlEncode(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('round-trips and agrees with Node’s base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = base64UrlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64UrlDecode(text)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects padding, other alphabets, whitespace, impossible lengths and non-zero trailing bits', () => {
    for (const bad of ['Zg==', 'Zm8=', 'a+b/', 'Zm9v\n', ' Zm9v', 'Z', 'Zm9vY', 'Zh', 'Zm9', 'é']) {
      expect(codeOf(() => base64UrlDecode(bad))).toBe('ERR_ENR_INVALID_BASE64');
    }
  });

  it('accepts exactly the canonical encodings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let decoded: Uint8Array;
        try {
          decoded = base64UrlDecode(text);
        } catch (err) {
          expect((err as StatusTsError).code).toBe('ERR_ENR_INVALID_BASE64');
          return;
        }
        expect(base64UrlEncode(decoded)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
