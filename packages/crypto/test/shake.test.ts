import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { CryptoError, CryptoErrorCode, SHAKE256_MAX_LENGTH, shake256 } from '../src/index.js';

// FIPS 202 example values (NIST "SHA-3 Example Values", SHAKE256 of the empty message and of "abc").
describe('shake256', () => {
  it('matches the FIPS 202 examples, 64 bytes by default as status-go uses it', () => {
    expect(bytesToHex(shake256(new Uint8Array(0)))).toBe(
      '46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be',
    );
    expect(bytesToHex(shake256(utf8ToBytes('abc'), 32))).toBe(
      '483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739',
    );
  });

  it('a shorter output is a prefix of a longer one', () => {
    const data = utf8ToBytes('status');
    expect(shake256(data, 16)).toEqual(shake256(data, 100).slice(0, 16));
  });

  it(`refuses an output length outside 1..SHAKE256_MAX_LENGTH (${SHAKE256_MAX_LENGTH})`, () => {
    for (const length of [0, -1, 1.5, SHAKE256_MAX_LENGTH + 1]) {
      try {
        shake256(new Uint8Array(1), length);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CryptoError);
        expect((error as CryptoError).code).toBe(CryptoErrorCode.InvalidLength);
      }
    }
    expect(shake256(new Uint8Array(1), SHAKE256_MAX_LENGTH)).toHaveLength(SHAKE256_MAX_LENGTH);
  });
});
