import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AES_BLOCK_SIZE,
  aesCtr,
  aesGcmOpen,
  aesGcmSeal,
  CryptoErrorCode,
  createAesCtr,
  createAesEcbEncryptor,
  GCM_TAG_LENGTH,
} from '../src/index.js';
import { expectCryptoError, onlyCryptoErrors, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;
const keyArb = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const ivArb = fc.uint8Array({ minLength: 16, maxLength: 16 });
const nonceArb = fc.uint8Array({ minLength: 12, maxLength: 12 });

/** Splits `data` at the given (unsorted, possibly repeated) cut points. */
function chunk(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, data.length]) {
    parts.push(data.subarray(at, p));
    at = p;
  }
  return parts;
}

describe.each(PATHS)('AES-CTR streaming (%s path)', (path) => {
  it('any chunking of the input gives the one-shot output (one continuous keystream)', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          keyArb,
          ivArb,
          fc.uint8Array({ maxLength: 200 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          (key, iv, data, cuts) => {
            const stream = createAesCtr(key, iv);
            const streamed = chunk(data, cuts).map((part) => hex(stream.update(part)));
            expect(streamed.join('')).toBe(hex(aesCtr(key, iv, data)));
          },
        ),
        { numRuns: 1000 },
      );
    }));

  it('the 128-bit counter carries across bytes 15..0 and wraps like go-ethereum/OpenSSL', () =>
    onPath(path, () => {
      const key = new Uint8Array(16).fill(1);
      const iv = new Uint8Array(16).fill(0xff); // wraps to zero after the first block
      const two = aesCtr(key, iv, new Uint8Array(32));
      expect(hex(two.subarray(16))).toBe(hex(aesCtr(key, new Uint8Array(16), new Uint8Array(16))));
      const carry = new Uint8Array(16);
      carry[7] = 0xff;
      carry.fill(0xff, 8);
      const next = new Uint8Array(16);
      next[6] = 1;
      expect(hex(aesCtr(key, carry, new Uint8Array(32)).subarray(16))).toBe(
        hex(aesCtr(key, next, new Uint8Array(16))),
      );
    }));

  it('large updates (beyond the 64 KiB keystream step) match the other path and any split', () =>
    onPath(path, () => {
      const key = new Uint8Array(32).fill(6);
      const iv = new Uint8Array(16).fill(0xfe);
      const data = new Uint8Array(150_001).map((_, i) => i);
      const other = onPath(path === 'noble' ? 'fast' : 'noble', () => hex(aesCtr(key, iv, data)));
      expect(hex(aesCtr(key, iv, data))).toBe(other);
      const stream = createAesCtr(key, iv);
      const split = [data.subarray(0, 7), data.subarray(7, 70_007), data.subarray(70_007)];
      expect(split.map((part) => hex(stream.update(part))).join('')).toBe(other);
    }));

  it('decrypts what it encrypts and does not touch its inputs', () =>
    onPath(path, () => {
      const key = new Uint8Array(32).fill(3);
      const iv = new Uint8Array(16).fill(4);
      const data = new Uint8Array(50).fill(5);
      const ct = aesCtr(key, iv, data);
      expect(hex(aesCtr(key, iv, ct))).toBe(hex(data));
      expect(hex(iv)).toBe('04'.repeat(16));
      expect(hex(data)).toBe('05'.repeat(50));
      // Unaligned views work the same (noble needs 4-byte alignment internally).
      const backing = new Uint8Array(60);
      backing.set(data, 3);
      expect(hex(createAesCtr(key, iv).update(backing.subarray(3, 53)))).toBe(hex(ct));
    }));
});

describe('AES input checks', () => {
  it('rejects bad key, IV and block sizes with ERR_CRYPTO_INVALID_LENGTH', () => {
    for (const n of [0, 15, 17, 31, 33]) {
      expectCryptoError(
        () => createAesCtr(new Uint8Array(n), new Uint8Array(16)),
        CryptoErrorCode.InvalidLength,
      );
      expectCryptoError(() => createAesEcbEncryptor(new Uint8Array(n)), CryptoErrorCode.InvalidLength);
      expectCryptoError(
        () => aesGcmSeal(new Uint8Array(n), new Uint8Array(12), new Uint8Array(1)),
        CryptoErrorCode.InvalidLength,
      );
    }
    for (const n of [0, 12, 15, 17]) {
      expectCryptoError(
        () => createAesCtr(new Uint8Array(16), new Uint8Array(n)),
        CryptoErrorCode.InvalidLength,
      );
      expectCryptoError(
        () => createAesEcbEncryptor(new Uint8Array(16))(new Uint8Array(n)),
        CryptoErrorCode.InvalidLength,
      );
    }
    for (const n of [0, 8, 11, 13, 16]) {
      expectCryptoError(
        () => aesGcmSeal(new Uint8Array(32), new Uint8Array(n), new Uint8Array(1)),
        CryptoErrorCode.InvalidLength,
      );
      expectCryptoError(
        () => aesGcmOpen(new Uint8Array(32), new Uint8Array(n), new Uint8Array(20)),
        CryptoErrorCode.InvalidLength,
      );
    }
  });

  it('the ECB encryptor equals the first CTR keystream block (same block cipher, key reused)', () => {
    fc.assert(
      fc.property(keyArb, ivArb, (key, block) => {
        const encrypt = createAesEcbEncryptor(key);
        const ks = onPath('noble', () => aesCtr(key, block, new Uint8Array(AES_BLOCK_SIZE)));
        expect(hex(encrypt(block))).toBe(hex(ks));
        expect(hex(encrypt(block))).toBe(hex(ks));
      }),
      { numRuns: 1000 },
    );
  });
});

describe.each(PATHS)('AES-GCM (%s path)', (path) => {
  it('open(seal(m)) = m with AAD; any bit flip in ciphertext, tag, nonce or AAD -> DECRYPT_FAILED', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          keyArb,
          nonceArb,
          fc.uint8Array({ maxLength: 100 }),
          fc.uint8Array({ maxLength: 20 }),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          (key, nonce, m, aad, where, mask) => {
            const sealed = aesGcmSeal(key, nonce, m, aad);
            expect(sealed.length).toBe(m.length + GCM_TAG_LENGTH);
            expect(hex(aesGcmOpen(key, nonce, sealed, aad))).toBe(hex(m));
            const target = where % 3;
            const s = new Uint8Array(sealed);
            const n = new Uint8Array(nonce);
            const a = new Uint8Array([...aad, 0]);
            if (target === 0) s[where % s.length]! ^= mask;
            else if (target === 1) n[where % 12]! ^= mask;
            else a[where % a.length]! ^= mask;
            const aadForOpen = target === 2 ? a : aad;
            expectCryptoError(() => aesGcmOpen(key, n, s, aadForOpen), CryptoErrorCode.DecryptFailed);
          },
        ),
        { numRuns: 1000 },
      );
    }));

  it('decoder robustness: random sealed input never throws anything but CryptoError', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          keyArb,
          nonceArb,
          fc.uint8Array({ maxLength: 80 }),
          fc.option(fc.uint8Array({ maxLength: 8 }), { nil: undefined }),
          (key, nonce, sealed, aad) => {
            expect(onlyCryptoErrors(() => aesGcmOpen(key, nonce, sealed, aad))).toBe(true);
          },
        ),
        { numRuns: 1000 },
      );
      expectCryptoError(
        () => aesGcmOpen(new Uint8Array(32), new Uint8Array(12), new Uint8Array(15)),
        CryptoErrorCode.DecryptFailed,
      );
    }));
});
