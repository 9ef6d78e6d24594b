import { describe, expect, it } from 'vitest';
import { base64UrlDecode, EnrErrorCode } from '../src/index.js';
import { errorOf } from './error-of.js';

describe('base64url decode errors', () => {
  it('names the position of a non-ASCII character', () => {
    for (const char of ['\u0080', '\u00e9', '\u4e2d']) {
      const err = errorOf(() => base64UrlDecode(`AA${char}A`));
      expect(err.code).toBe(EnrErrorCode.InvalidBase64);
      expect(err.details).toStrictEqual({ position: 2 });
    }
  });

  it('names the last character when its unused bits are not zero', () => {
    const err = errorOf(() => base64UrlDecode('AB'));
    expect(err.details).toStrictEqual({ position: 1 });
    expect(errorOf(() => base64UrlDecode('AAAAAB')).details).toStrictEqual({ position: 5 });
  });

  it('gives no position for an impossible length', () => {
    const err = errorOf(() => base64UrlDecode('AAAAA'));
    expect(err.code).toBe(EnrErrorCode.InvalidBase64);
    expect(err.details).toStrictEqual({});
  });
});
