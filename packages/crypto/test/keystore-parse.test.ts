import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  CryptoErrorCode,
  decryptKeystore,
  encryptKeystore,
  generatePrivateKey,
  type KeystoreV3,
} from '../src/index.js';
import { expectCryptoError } from './helpers.js';

// Light scrypt (n = 16) keeps every KDF run well under a millisecond.
const LIGHT = { scrypt: { n: 16, r: 8, p: 1 } };

function fixture(): { key: Uint8Array; ks: KeystoreV3 } {
  const key = generatePrivateKey();
  return { key, ks: encryptKeystore(key, 'pw', LIGHT) };
}

// biome-ignore lint/suspicious/noExplicitAny: deliberately breaking the typed shape
function edit(ks: KeystoreV3, f: (k: any) => void): KeystoreV3 {
  const copy = JSON.parse(JSON.stringify(ks));
  f(copy);
  return copy;
}

const invalidKeystore = (ks: unknown, password = 'pw') =>
  expectCryptoError(() => decryptKeystore(ks as KeystoreV3, password), CryptoErrorCode.InvalidKeystore);

describe('encryptKeystore input', () => {
  it('checks the private key before anything else (a bad key with a bad IV -> INVALID_PRIVATE_KEY)', () => {
    expectCryptoError(
      () => encryptKeystore(new Uint8Array(32), 'pw', { ...LIGHT, iv: new Uint8Array(3) }),
      CryptoErrorCode.InvalidPrivateKey,
    );
  });

  it('uses the given salt and IV, else fresh random ones of 32 and 16 bytes', () => {
    const key = generatePrivateKey();
    const salt = new Uint8Array(32).fill(0xa1);
    const iv = new Uint8Array(16).fill(0xb2);
    const fixed = encryptKeystore(key, 'pw', { ...LIGHT, salt, iv });
    expect(fixed.crypto.kdfparams.salt).toBe(bytesToHex(salt));
    expect(fixed.crypto.cipherparams.iv).toBe(bytesToHex(iv));
    const a = encryptKeystore(key, 'pw', LIGHT);
    const b = encryptKeystore(key, 'pw', LIGHT);
    expect(a.crypto.kdfparams.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(a.crypto.cipherparams.iv).toMatch(/^[0-9a-f]{32}$/);
    expect(a.crypto.kdfparams.salt).not.toBe(b.crypto.kdfparams.salt);
    expect(a.crypto.cipherparams.iv).not.toBe(b.crypto.cipherparams.iv);
  });

  it('rejects an IV that is not 16 bytes with INVALID_LENGTH and its sizes', () => {
    const err = expectCryptoError(
      () => encryptKeystore(generatePrivateKey(), 'pw', { ...LIGHT, iv: new Uint8Array(15) }),
      CryptoErrorCode.InvalidLength,
    );
    expect(err.details).toEqual({ what: 'keystore IV', expected: [16], actual: 15 });
  });
});

describe('decryptKeystore parsing: codes and details', () => {
  it('invalid JSON text keeps the parser error as cause', () => {
    const err = invalidKeystore('{"version": 3,');
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports the offending value in details', () => {
    const { ks } = fixture();
    expect(invalidKeystore(edit(ks, (k) => (k.version = 1))).details).toEqual({ version: 1 });
    expect(invalidKeystore(edit(ks, (k) => (k.crypto.cipher = 'aes-128-cbc'))).details).toEqual({
      cipher: 'aes-128-cbc',
    });
    expect(invalidKeystore(edit(ks, (k) => (k.crypto.cipherparams.iv = '00'))).details).toEqual({
      field: 'crypto.cipherparams.iv',
      min: 16,
      max: 16,
      actual: 1,
    });
    expect(invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.dklen = 65))).details).toEqual({ dklen: 65 });
    expect(invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.n = 24))).details).toEqual({ n: 24 });
    expect(invalidKeystore(edit(ks, (k) => (k.crypto.kdf = 'argon2'))).details).toEqual({ kdf: 'argon2' });
    const prf = edit(ks, (k) => {
      k.crypto.kdf = 'pbkdf2';
      k.crypto.kdfparams = { dklen: 32, c: 10, prf: 'hmac-sha512', salt: '00' };
    });
    expect(invalidKeystore(prf).details).toEqual({ prf: 'hmac-sha512' });
  });

  it('names the JSON path of a hex or integer field that is missing, not hex, the wrong size or not positive', () => {
    const { ks } = fixture();
    const pbkdf2 = encryptKeystore(generatePrivateKey(), 'pw', { kdf: 'pbkdf2', pbkdf2Iterations: 10 });
    const field = (bad: KeystoreV3) => invalidKeystore(bad).details?.field;
    expect(field(edit(ks, (k) => delete k.crypto.cipherparams.iv))).toBe('crypto.cipherparams.iv');
    expect(field(edit(ks, (k) => (k.crypto.ciphertext = 'zz')))).toBe('crypto.ciphertext');
    expect(field(edit(ks, (k) => (k.crypto.ciphertext = '')))).toBe('crypto.ciphertext');
    expect(field(edit(ks, (k) => (k.crypto.mac = `${k.crypto.mac}00`)))).toBe('crypto.mac');
    expect(field(edit(ks, (k) => (k.crypto.kdfparams.salt = 7)))).toBe('crypto.kdfparams.salt');
    expect(field(edit(ks, (k) => (k.crypto.kdfparams.dklen = 0)))).toBe('crypto.kdfparams.dklen');
    expect(field(edit(ks, (k) => (k.crypto.kdfparams.n = '16')))).toBe('crypto.kdfparams.n');
    expect(field(edit(ks, (k) => (k.crypto.kdfparams.r = -8)))).toBe('crypto.kdfparams.r');
    expect(field(edit(ks, (k) => (k.crypto.kdfparams.p = 1.5)))).toBe('crypto.kdfparams.p');
    expect(field(edit(pbkdf2, (k) => (k.crypto.kdfparams.c = 0)))).toBe('crypto.kdfparams.c');
  });

  it('a missing cipherparams object -> INVALID_KEYSTORE', () => {
    const { ks } = fixture();
    invalidKeystore(edit(ks, (k) => delete k.crypto.cipherparams));
    invalidKeystore(edit(ks, (k) => (k.crypto.cipherparams = null)));
  });

  it('hex fields must be primitive strings (a String object is refused)', () => {
    const { ks } = fixture();
    const boxed = {
      ...ks,
      crypto: { ...ks.crypto, cipherparams: { iv: new String(ks.crypto.cipherparams.iv) } },
    };
    invalidKeystore(boxed);
  });

  it('integer fields must be safe positive integers (not strings or fractions)', () => {
    const { ks } = fixture();
    invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.dklen = 32.5)));
    invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.dklen = '32')));
    invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.n = '16')));
    const pbkdf2 = encryptKeystore(generatePrivateKey(), 'pw', { kdf: 'pbkdf2', pbkdf2Iterations: 10 });
    invalidKeystore(edit(pbkdf2, (k) => (k.crypto.kdfparams.c = '10')));
    invalidKeystore(edit(pbkdf2, (k) => (k.crypto.kdfparams.c = 10.5)));
  });

  it('dklen: 64 is accepted (same first 32 bytes), 65 is refused', () => {
    const { key, ks } = fixture();
    const at64 = decryptKeystore(
      edit(ks, (k) => (k.crypto.kdfparams.dklen = 64)),
      'pw',
    );
    expect(bytesToHex(at64)).toBe(bytesToHex(key));
    invalidKeystore(edit(ks, (k) => (k.crypto.kdfparams.dklen = 65)));
  });

  it('the address is checked before the KDF: a malformed one is INVALID_KEYSTORE even with a wrong password', () => {
    const { key, ks } = fixture();
    const address = ks.address!;
    for (const bad of [
      'not-an-address',
      `zz${address}`,
      `${address}zz`,
      `${address.slice(0, 20)}0x${address.slice(20)}`,
    ]) {
      invalidKeystore({ ...ks, address: bad }, 'wrong');
    }
    invalidKeystore({ ...ks, address: 42 }, 'wrong');
    expect(bytesToHex(decryptKeystore({ ...ks, address: `0x${address}` }, 'pw'))).toBe(bytesToHex(key));
  });
});
