import { bytesToHex, hexToBytes } from '@status-ts/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  aesCtr,
  aesGcmOpen,
  aesGcmSeal,
  concatKdfSha256,
  createAesCtr,
  createAesEcbEncryptor,
  createKeccak256,
  hkdfSha256,
  initFastCrypto,
  keccak256,
  pbkdf2Sha256,
  scrypt,
  sha256,
} from '../src/index.js';
import vectors from './data/standard-vectors.json' with { type: 'json' };
import { ascii, expectFastBackends, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;
const bytes = hexToBytes;

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
});

describe.each(PATHS)('official vectors on the %s path', (path) => {
  it('keccak256 is original Keccak, not FIPS SHA3-256 (one-shot and incremental)', () =>
    onPath(path, () => {
      for (const c of vectors.keccak256.cases) {
        expect(hex(keccak256(ascii(c.ascii)))).toBe(c.hash);
        expect(hex(createKeccak256().update(ascii(c.ascii)).digest())).toBe(c.hash);
      }
      expect(hex(keccak256(ascii('abc')))).not.toBe(vectors.keccak256.sha3_256_abc_must_differ);
      expect(hex(keccak256(ascii('a'), ascii(''), ascii('bc')))).toBe(vectors.keccak256.cases[1]!.hash);
    }));

  it('sha256 (FIPS 180-2)', () =>
    onPath(path, () => {
      for (const c of vectors.sha256.cases) expect(hex(sha256(ascii(c.ascii)))).toBe(c.hash);
    }));

  it.each(vectors.hkdf_sha256.cases)('HKDF-SHA256 RFC 5869 $name', (c) =>
    onPath(path, () => {
      const salt = c.salt === '' ? undefined : bytes(c.salt);
      expect(hex(hkdfSha256(bytes(c.ikm), salt, bytes(c.info), c.length))).toBe(c.okm);
      // An empty salt means the same as no salt (RFC 5869 2.2).
      if (salt === undefined)
        expect(hex(hkdfSha256(bytes(c.ikm), new Uint8Array(0), bytes(c.info), c.length))).toBe(c.okm);
    }),
  );

  it.each(vectors.pbkdf2_sha256.cases)('PBKDF2-HMAC-SHA256 RFC 7914 c=$c', (c) =>
    onPath(path, () => {
      expect(hex(pbkdf2Sha256(ascii(c.password), ascii(c.salt), c.c, c.dkLen))).toBe(c.dk);
    }),
  );

  it.each(vectors.scrypt.cases)('scrypt RFC 7914 N=$N r=$r p=$p', (c) =>
    onPath(path, () => {
      expect(hex(scrypt(ascii(c.password), ascii(c.salt), { N: c.N, r: c.r, p: c.p, dkLen: c.dkLen }))).toBe(
        c.dk,
      );
    }),
  );

  it.each(vectors.concat_kdf_sha256.cases)('concat KDF (go-ethereum TestKDF) length $length', (c) =>
    onPath(path, () => {
      expect(hex(concatKdfSha256(ascii(vectors.concat_kdf_sha256.input_ascii), c.length))).toBe(c.output);
    }),
  );

  it.each(vectors.aes_ecb.cases)('AES single block (FIPS-197) key $key', (c) =>
    onPath(path, () => {
      const encrypt = createAesEcbEncryptor(bytes(c.key));
      const block = bytes(c.plaintext);
      expect(hex(encrypt(block))).toBe(c.ciphertext);
      expect(hex(encrypt(block))).toBe(c.ciphertext); // key schedule reused, input untouched
      expect(hex(block)).toBe(c.plaintext);
    }),
  );

  it.each(vectors.aes_ctr.cases)('AES-CTR SP 800-38A $name, one shot and byte by byte', (c) =>
    onPath(path, () => {
      expect(hex(aesCtr(bytes(c.key), bytes(c.counter), bytes(c.plaintext)))).toBe(c.ciphertext);
      const stream = createAesCtr(bytes(c.key), bytes(c.counter));
      const pt = bytes(c.plaintext);
      const parts = [1, 15, 16, 3, 29].reduce<{ at: number; out: string }>(
        (acc, size) => ({
          at: acc.at + size,
          out: acc.out + hex(stream.update(pt.subarray(acc.at, acc.at + size))),
        }),
        { at: 0, out: '' },
      );
      expect(parts.out).toBe(c.ciphertext);
    }),
  );

  it.each(vectors.aes_gcm.cases)('AES-256-GCM McGrew-Viega $name', (c) =>
    onPath(path, () => {
      const aad = c.aad === '' ? undefined : bytes(c.aad);
      const sealed = aesGcmSeal(bytes(c.key), bytes(c.iv), bytes(c.plaintext), aad);
      expect(hex(sealed)).toBe(c.ciphertext + c.tag);
      expect(hex(aesGcmOpen(bytes(c.key), bytes(c.iv), sealed, aad))).toBe(c.plaintext);
    }),
  );
});
