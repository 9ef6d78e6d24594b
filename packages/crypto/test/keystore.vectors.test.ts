import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { CryptoErrorCode, decryptKeystore } from '../src/index.js';
import vectors from './data/v3_test_vector.json' with { type: 'json' };
import { expectCryptoError } from './helpers.js';

type Vector = { json: object; password: string; priv: string };
const cases = Object.entries(vectors).filter(([name]) => !name.startsWith('_')) as [string, Vector][];

describe('keystore v3: go-ethereum accounts/keystore/testdata/v3_test_vector.json', () => {
  it.each(cases)('%s decrypts to the recorded private key', (name, v) => {
    // JSON text for the cheap vectors; the object for the wiki scrypt one (N = 2^18 with r = 1 is beyond
    // OpenSSL's RFC 7914 bound, so it runs on noble: ~2-5 s, done once).
    const key = decryptKeystore(
      name === 'wikipage_test_vector_scrypt' ? (v.json as never) : JSON.stringify(v.json),
      v.password,
    );
    expect(key.length).toBe(32);
    // 30/31-byte keys (leading zeros dropped by old tools) come back left-padded to 32 bytes.
    expect(bytesToHex(key)).toBe(v.priv.padStart(64, '0'));
  });

  it.each(cases.filter(([name]) => !name.startsWith('wikipage')))(
    '%s with a wrong password -> BAD_MAC',
    (_name, v) => {
      expectCryptoError(() => decryptKeystore(v.json as never, `${v.password}x`), CryptoErrorCode.BadMac);
    },
  );

  it('the pbkdf2 wiki vector with a wrong password -> BAD_MAC, never a garbage key', () => {
    const v = vectors.wikipage_test_vector_pbkdf2;
    expectCryptoError(() => decryptKeystore(v.json as never, 'wrong'), CryptoErrorCode.BadMac);
    expect(hexToBytes(v.priv).length).toBe(32);
  });
});
