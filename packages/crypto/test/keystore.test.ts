import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoErrorCode,
  DEFAULT_KEYSTORE_LIMITS,
  decryptKeystore,
  encryptKeystore,
  generatePrivateKey,
  getPublicKey,
  isValidPrivateKey,
  KEYSTORE_SCRYPT_STANDARD,
  type KeystoreV3,
  keccak256,
  scrypt,
} from '../src/index.js';
import { expectCryptoError, onlyCryptoErrors } from './helpers.js';

// Light scrypt (n = 16) keeps each KDF run well under a millisecond; real keystores use n = 2^18.
const LIGHT = { scrypt: { n: 16, r: 8, p: 1 } };
const privateKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(isValidPrivateKey);

describe('encryptKeystore / decryptKeystore', () => {
  it('round-trips random keys and passwords with both KDFs', () => {
    // Light parameters (n = 16, pbkdf2 c = 10) make 1,000 runs cheap while still exercising both KDF paths.
    fc.assert(
      fc.property(
        privateKeyArb,
        fc.string({ maxLength: 20 }),
        fc.constantFrom('scrypt', 'pbkdf2') as fc.Arbitrary<'scrypt' | 'pbkdf2'>,
        (key, password, kdf) => {
          const ks = encryptKeystore(key, password, { ...LIGHT, kdf, pbkdf2Iterations: 10 });
          expect(ks.crypto.kdf).toBe(kdf);
          const restored = decryptKeystore(JSON.parse(JSON.stringify(ks)), password);
          expect(bytesToHex(restored)).toBe(bytesToHex(key));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('writes the go-ethereum v3 layout: version, uuid v4 id, address, aes-128-ctr, scrypt params', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', LIGHT);
    expect(ks.version).toBe(3);
    expect(ks.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ks.address).toBe(bytesToHex(keccak256(getPublicKey(key, 'raw')).subarray(12)));
    expect(ks.crypto.cipher).toBe('aes-128-ctr');
    expect(ks.crypto.cipherparams.iv).toMatch(/^[0-9a-f]{32}$/);
    expect(ks.crypto.ciphertext).toMatch(/^[0-9a-f]{64}$/);
    expect(ks.crypto.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(ks.crypto.kdfparams).toMatchObject({ dklen: 32, n: 16, r: 8, p: 1 });
    expect(KEYSTORE_SCRYPT_STANDARD).toEqual({ n: 262144, r: 8, p: 1 });
    const fixed = { ...LIGHT, salt: new Uint8Array(32).fill(1), iv: new Uint8Array(16).fill(2), id: 'x' };
    expect(encryptKeystore(key, 'pw', fixed)).toEqual(encryptKeystore(key, 'pw', fixed));
  });

  it('wrong password -> BAD_MAC; invalid private key -> INVALID_PRIVATE_KEY', () => {
    const ks = encryptKeystore(generatePrivateKey(), 'right', LIGHT);
    expectCryptoError(() => decryptKeystore(ks, 'wrong'), CryptoErrorCode.BadMac);
    expectCryptoError(() => decryptKeystore(ks, ''), CryptoErrorCode.BadMac);
    expectCryptoError(
      () => encryptKeystore(new Uint8Array(32), 'pw', LIGHT),
      CryptoErrorCode.InvalidPrivateKey,
    );
    expectCryptoError(
      () => encryptKeystore(new Uint8Array(31).fill(1), 'pw', LIGHT),
      CryptoErrorCode.InvalidPrivateKey,
    );
  });

  it('accepts "Crypto" (MyEtherWallet casing) and a 0x/uppercase address; rejects a mismatched address', () => {
    const key = generatePrivateKey();
    const ks = encryptKeystore(key, 'pw', LIGHT);
    const { crypto, ...rest } = ks;
    expect(bytesToHex(decryptKeystore({ ...rest, Crypto: crypto } as never, 'pw'))).toBe(bytesToHex(key));
    expect(bytesToHex(decryptKeystore({ ...ks, address: `0x${ks.address!.toUpperCase()}` }, 'pw'))).toBe(
      bytesToHex(key),
    );
    expectCryptoError(
      () => decryptKeystore({ ...ks, address: '00'.repeat(20) }, 'pw'),
      CryptoErrorCode.InvalidKeystore,
    );
  });

  it('rejects malformed keystores with INVALID_KEYSTORE', () => {
    const ks = encryptKeystore(generatePrivateKey(), 'pw', LIGHT);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately breaking the typed shape
    const mutate = (f: (k: any) => void): KeystoreV3 => {
      const copy = JSON.parse(JSON.stringify(ks));
      f(copy);
      return copy;
    };
    const bad: KeystoreV3[] = [
      mutate((k) => (k.version = 1)),
      mutate((k) => delete k.crypto),
      mutate((k) => (k.crypto.cipher = 'aes-128-cbc')),
      mutate((k) => (k.crypto.kdf = 'argon2')),
      mutate((k) => (k.crypto.cipherparams.iv = 'zz')),
      mutate((k) => (k.crypto.cipherparams.iv = '00')),
      mutate((k) => (k.crypto.mac = k.crypto.mac.slice(2))),
      mutate((k) => (k.crypto.ciphertext = '')),
      mutate((k) => (k.crypto.ciphertext = '00'.repeat(33))),
      mutate((k) => (k.crypto.kdfparams.dklen = 16)),
      mutate((k) => (k.crypto.kdfparams.n = 15)),
      mutate((k) => (k.crypto.kdfparams.n = 1)),
      mutate((k) => (k.crypto.kdfparams.r = 0)),
      mutate((k) => (k.crypto.kdfparams.p = 1.5)),
      mutate((k) => (k.crypto.kdfparams.salt = 7)),
      mutate((k) => (k.address = 'not-an-address')),
      mutate((k) => {
        k.crypto.kdf = 'pbkdf2';
        k.crypto.kdfparams = { dklen: 32, c: 10, prf: 'hmac-sha512', salt: '00' };
      }),
    ];
    for (const k of bad) expectCryptoError(() => decryptKeystore(k, 'pw'), CryptoErrorCode.InvalidKeystore);
    expectCryptoError(() => decryptKeystore('{not json', 'pw'), CryptoErrorCode.InvalidKeystore);
    expectCryptoError(() => decryptKeystore('[]', 'pw'), CryptoErrorCode.InvalidKeystore);
  });

  it('a decrypted value that is not a valid private key (all zeros) -> INVALID_KEYSTORE, never returned', () => {
    // Build a keystore around the zero "key" by hand, with a correct MAC.
    const ks = encryptKeystore(generatePrivateKey(), 'pw', {
      ...LIGHT,
      salt: new Uint8Array(32),
      iv: new Uint8Array(16),
    });
    const good = decryptKeystore(ks, 'pw');
    const ct = Uint8Array.from(Buffer.from(ks.crypto.ciphertext, 'hex'));
    const zeroCt = ct.map((b, i) => b ^ good[i]!);
    const dk = deriveLight(ks);
    const forged = {
      ...ks,
      address: undefined,
      crypto: {
        ...ks.crypto,
        ciphertext: bytesToHex(zeroCt),
        mac: bytesToHex(keccak256(dk.subarray(16, 32), zeroCt)),
      },
    };
    expectCryptoError(() => decryptKeystore(forged, 'pw'), CryptoErrorCode.InvalidKeystore);
  });
});

function deriveLight(ks: KeystoreV3): Uint8Array {
  const p = ks.crypto.kdfparams as { n: number; r: number; p: number; salt: string };
  return scrypt(new TextEncoder().encode('pw'), Buffer.from(p.salt, 'hex'), {
    N: p.n,
    r: p.r,
    p: p.p,
    dkLen: 32,
  });
}

describe('keystore limits (hostile files cannot make us burn CPU or memory)', () => {
  // Built inside the tests, not at collection: a throw here would hide the whole file from the run.
  let cached: KeystoreV3 | undefined;
  const keystore = (): KeystoreV3 => {
    cached ??= encryptKeystore(generatePrivateKey(), 'pw', LIGHT);
    return cached;
  };
  const withParams = (params: object, kdf = 'scrypt'): KeystoreV3 =>
    ({
      ...keystore(),
      crypto: { ...keystore().crypto, kdf, kdfparams: { dklen: 32, salt: '00', ...params } },
    }) as KeystoreV3;

  it('has documented defaults that admit go-ethereum standard keystores', () => {
    expect(DEFAULT_KEYSTORE_LIMITS).toEqual({
      maxScryptMemory: 1 << 30,
      maxScryptCost: 1 << 24,
      maxPbkdf2Iterations: 10_000_000,
      maxSaltLength: 1024,
    });
    const { n, r, p } = KEYSTORE_SCRYPT_STANDARD;
    expect(128 * r * (n + p + 2)).toBeLessThanOrEqual(DEFAULT_KEYSTORE_LIMITS.maxScryptMemory);
    expect(n * r * p).toBeLessThanOrEqual(DEFAULT_KEYSTORE_LIMITS.maxScryptCost);
  });

  it('maxScryptMemory: default and overridden', () => {
    expectCryptoError(
      () => decryptKeystore(withParams({ n: 2 ** 21, r: 8, p: 1 }), 'pw'),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
    expectCryptoError(
      () => decryptKeystore(keystore(), 'pw', { limits: { maxScryptMemory: 1024 } }),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
  });

  it('maxScryptCost: default and overridden', () => {
    expectCryptoError(
      () => decryptKeystore(withParams({ n: 2, r: 1, p: 2 ** 25 }), 'pw'),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
    expectCryptoError(
      () => decryptKeystore(keystore(), 'pw', { limits: { maxScryptCost: 64 } }),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
  });

  it('maxPbkdf2Iterations: default and overridden', () => {
    const pbkdf2 = (c: number) => withParams({ c, prf: 'hmac-sha256' }, 'pbkdf2');
    expectCryptoError(() => decryptKeystore(pbkdf2(10_000_001), 'pw'), CryptoErrorCode.KeystoreLimitExceeded);
    expectCryptoError(
      () => decryptKeystore(pbkdf2(11), 'pw', { limits: { maxPbkdf2Iterations: 10 } }),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
    expectCryptoError(
      () => decryptKeystore(pbkdf2(10), 'pw', { limits: { maxPbkdf2Iterations: 10 } }),
      CryptoErrorCode.BadMac,
    );
  });

  it('maxSaltLength: default and overridden', () => {
    expectCryptoError(
      () => decryptKeystore(withParams({ n: 2, r: 1, p: 1, salt: '00'.repeat(1025) }), 'pw'),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
    expectCryptoError(
      () => decryptKeystore(keystore(), 'pw', { limits: { maxSaltLength: 31 } }),
      CryptoErrorCode.KeystoreLimitExceeded,
    );
  });

  it('decoder robustness: random JSON and mutated keystores never throw anything but CryptoError', () => {
    const tiny = encryptKeystore(generatePrivateKey(), 'pw', { scrypt: { n: 2, r: 1, p: 1 } });
    const paths: string[][] = [
      ['version'],
      ['id'],
      ['address'],
      ['crypto', 'cipher'],
      ['crypto', 'ciphertext'],
      ['crypto', 'mac'],
      ['crypto', 'kdf'],
      ['crypto', 'cipherparams', 'iv'],
      ['crypto', 'kdfparams', 'n'],
      ['crypto', 'kdfparams', 'r'],
      ['crypto', 'kdfparams', 'p'],
      ['crypto', 'kdfparams', 'dklen'],
      ['crypto', 'kdfparams', 'salt'],
      ['crypto', 'kdfparams'],
      ['crypto'],
    ];
    const mutated = fc
      .tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }))
      .map(([path, value]) => {
        const copy = JSON.parse(JSON.stringify(tiny));
        let node = copy;
        for (const key of path.slice(0, -1)) node = node[key];
        node[path.at(-1)!] = value;
        return copy as KeystoreV3;
      });
    const arbitrary = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown as KeystoreV3),
      fc.string().map((s) => s as unknown as KeystoreV3),
      mutated,
    );
    const limits = { maxScryptMemory: 1 << 20, maxScryptCost: 1 << 12, maxPbkdf2Iterations: 1000 };
    fc.assert(
      fc.property(arbitrary, (ks) => {
        expect(onlyCryptoErrors(() => decryptKeystore(ks, 'pw', { limits }))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
