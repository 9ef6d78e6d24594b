import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONCAT_KDF_MAX_LENGTH,
  CryptoErrorCode,
  concatKdfSha256,
  HKDF_SHA256_MAX_LENGTH,
  hkdfSha256,
  hmacSha256,
  KDF_MAX_OUTPUT_LENGTH,
  PBKDF2_MAX_ITERATIONS,
  pbkdf2Sha256,
  SCRYPT_MAX_MEMORY,
  scrypt,
  scryptMemory,
  sha256,
} from '../src/index.js';
import { expectCryptoError, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;
const none = new Uint8Array(0);

describe('concat KDF (NIST SP 800-56A, go-ethereum ecies)', () => {
  it('is SHA256(counter_be32 || secret || otherInfo) blocks from counter 1, truncated', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.nat(100),
        (secret, info, length) => {
          const counter = (i: number) => Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255);
          let expected = '';
          for (let i = 1; expected.length < 2 * length; i++)
            expected += hex(sha256(counter(i), secret, info));
          expect(hex(concatKdfSha256(secret, length, info))).toBe(expected.slice(0, 2 * length));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('limits: length must be an integer in [0, 2^32 - 1]', () => {
    expect(CONCAT_KDF_MAX_LENGTH).toBe(2 ** 32 - 1);
    expect(concatKdfSha256(none, 0).length).toBe(0);
    for (const bad of [-1, 1.5, CONCAT_KDF_MAX_LENGTH + 1, Number.NaN]) {
      expectCryptoError(() => concatKdfSha256(none, bad), CryptoErrorCode.InvalidArgument);
    }
  });
});

describe.each(PATHS)('KDF limits (%s path)', (path) => {
  it('HKDF output length in [1, 255 * 32]; info longer than node accepts still works', () =>
    onPath(path, () => {
      expect(HKDF_SHA256_MAX_LENGTH).toBe(8160);
      expect(hkdfSha256(none, undefined, none, HKDF_SHA256_MAX_LENGTH).length).toBe(8160);
      expectCryptoError(
        () => hkdfSha256(none, undefined, none, HKDF_SHA256_MAX_LENGTH + 1),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(() => hkdfSha256(none, undefined, none, 0), CryptoErrorCode.InvalidArgument);
      const longInfo = new Uint8Array(2000).fill(1);
      const fromNoble = onPath('noble', () => hex(hkdfSha256(Uint8Array.of(1), undefined, longInfo, 32)));
      expect(hex(hkdfSha256(Uint8Array.of(1), undefined, longInfo, 32))).toBe(fromNoble);
    }));

  it('PBKDF2 iterations in [1, PBKDF2_MAX_ITERATIONS], output in [1, KDF_MAX_OUTPUT_LENGTH]', () =>
    onPath(path, () => {
      expectCryptoError(() => pbkdf2Sha256(none, none, 0, 32), CryptoErrorCode.InvalidArgument);
      expectCryptoError(
        () => pbkdf2Sha256(none, none, PBKDF2_MAX_ITERATIONS + 1, 32),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(() => pbkdf2Sha256(none, none, 1, 0), CryptoErrorCode.InvalidArgument);
      expectCryptoError(
        () => pbkdf2Sha256(none, none, 1, KDF_MAX_OUTPUT_LENGTH + 1),
        CryptoErrorCode.InvalidArgument,
      );
      // HMAC-SHA256 first block with c = 1 is HMAC(P, S || INT(1)).
      expect(hex(pbkdf2Sha256(Uint8Array.of(1), Uint8Array.of(2), 1, 32))).toBe(
        hex(hmacSha256(Uint8Array.of(1), Uint8Array.of(2, 0, 0, 0, 1))),
      );
    }));

  it('scrypt parameters and memory limit (default 1 GiB, overridable)', () =>
    onPath(path, () => {
      for (const N of [0, 1, 3, 6, 2 ** 32 + 2 ** 31]) {
        expectCryptoError(
          () => scrypt(none, none, { N, r: 1, p: 1, dkLen: 32 }),
          CryptoErrorCode.InvalidArgument,
        );
      }
      expectCryptoError(
        () => scrypt(none, none, { N: 2, r: 0, p: 1, dkLen: 32 }),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(
        () => scrypt(none, none, { N: 2, r: 1, p: 0, dkLen: 32 }),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(
        () => scrypt(none, none, { N: 2, r: 1, p: 1, dkLen: 0 }),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(
        () => scrypt(none, none, { N: 2, r: 1, p: 1, dkLen: KDF_MAX_OUTPUT_LENGTH + 1 }),
        CryptoErrorCode.InvalidArgument,
      );
      expect(SCRYPT_MAX_MEMORY).toBe(2 ** 30);
      expect(scryptMemory(2 ** 20, 8, 1)).toBeGreaterThan(SCRYPT_MAX_MEMORY);
      expectCryptoError(
        () => scrypt(none, none, { N: 2 ** 20, r: 8, p: 1, dkLen: 32 }),
        CryptoErrorCode.InvalidArgument,
      );
      expectCryptoError(
        () => scrypt(none, none, { N: 1024, r: 8, p: 1, dkLen: 32, maxMemory: 1024 }),
        CryptoErrorCode.InvalidArgument,
      );
      expect(
        scrypt(none, none, { N: 16, r: 1, p: 1, dkLen: 16, maxMemory: scryptMemory(16, 1, 1) }).length,
      ).toBe(16);
    }));

  it("scrypt beyond OpenSSL's N < 2^(16 r) bound still works (go-ethereum accepts it)", () =>
    onPath(path, () => {
      const fromNoble = onPath('noble', () =>
        hex(scrypt(Uint8Array.of(1), none, { N: 2 ** 16, r: 1, p: 1, dkLen: 32 })),
      );
      expect(hex(scrypt(Uint8Array.of(1), none, { N: 2 ** 16, r: 1, p: 1, dkLen: 32 }))).toBe(fromNoble);
    }));
});
