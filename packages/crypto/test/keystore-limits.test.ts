import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  CryptoErrorCode,
  decryptKeystore,
  encryptKeystore,
  generatePrivateKey,
  type KeystoreV3,
  scryptMemory,
} from '../src/index.js';
import { expectCryptoError } from './helpers.js';

const limitExceeded = (ks: KeystoreV3, limits: object) =>
  expectCryptoError(() => decryptKeystore(ks, 'pw', { limits }), CryptoErrorCode.KeystoreLimitExceeded);

describe('keystore limits at their boundaries (limit admits, limit - 1 refuses)', () => {
  it('maxSaltLength', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', { scrypt: { n: 16, r: 8, p: 1 } }); // 32-byte salt
    expect(bytesToHex(decryptKeystore(ks, 'pw', { limits: { maxSaltLength: 32 } }))).toBe(bytesToHex(key));
    expect(limitExceeded(ks, { maxSaltLength: 31 }).details).toEqual({ length: 32, limit: 31 });
  });

  it('maxPbkdf2Iterations', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', { kdf: 'pbkdf2', pbkdf2Iterations: 11 });
    expect(bytesToHex(decryptKeystore(ks, 'pw', { limits: { maxPbkdf2Iterations: 11 } }))).toBe(
      bytesToHex(key),
    );
    expect(limitExceeded(ks, { maxPbkdf2Iterations: 10 }).details).toEqual({ c: 11, limit: 10 });
  });

  it('maxScryptMemory (128 * r * (N + p + 2) bytes)', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', { scrypt: { n: 16, r: 8, p: 1 } });
    const memory = scryptMemory(16, 8, 1);
    expect(memory).toBe(19_456);
    expect(bytesToHex(decryptKeystore(ks, 'pw', { limits: { maxScryptMemory: memory } }))).toBe(
      bytesToHex(key),
    );
    expect(limitExceeded(ks, { maxScryptMemory: memory - 1 }).details).toEqual({
      memory,
      limit: memory - 1,
    });
  });

  it('maxScryptCost (N * r * p, with p > 1)', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', { scrypt: { n: 16, r: 2, p: 2 } }); // cost 64
    expect(bytesToHex(decryptKeystore(ks, 'pw', { limits: { maxScryptCost: 64 } }))).toBe(bytesToHex(key));
    expect(limitExceeded(ks, { maxScryptCost: 63 }).details).toEqual({ cost: 64, limit: 63 });
  });
});
