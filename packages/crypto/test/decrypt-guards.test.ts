import { bytesToHex } from '@status-ts/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNoble, openNode } from '../src/aes-gcm.js';
import { fastNode } from '../src/backend.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  CryptoErrorCode,
  decryptSymmetric,
  ECIES_OVERHEAD,
  eciesDecrypt,
  eciesEncrypt,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
} from '../src/index.js';
import { expectCryptoError, onPath, PATHS } from './helpers.js';

// Decoders of ciphertext from the network: short or non-byte input is refused up front with the
// sizes in `details`, before any key or cipher work.
const key = new Uint8Array(32).fill(3);
const nonce = new Uint8Array(12).fill(4);
const junk = (n: number) => Array.from({ length: n }, () => 0) as unknown as Uint8Array;

beforeAll(async () => {
  await initFastCrypto();
});

describe('aesGcmOpen', () => {
  it.each(PATHS)(
    '%s path: shorter than the tag -> DECRYPT_FAILED with the length; 16 bytes is a tag check',
    (path) =>
      onPath(path, () => {
        const short = expectCryptoError(
          () => aesGcmOpen(key, nonce, new Uint8Array(15)),
          CryptoErrorCode.DecryptFailed,
        );
        expect(short.details).toEqual({ length: 15 });
        const tagOnly = expectCryptoError(
          () => aesGcmOpen(key, nonce, new Uint8Array(16)),
          CryptoErrorCode.DecryptFailed,
        );
        expect(tagOnly.details).toBeUndefined();
        expect(tagOnly.cause).toBeDefined();
      }),
  );

  it('non-byte input (an array, undefined) -> DECRYPT_FAILED with its length', () => {
    expect(
      expectCryptoError(() => aesGcmOpen(key, nonce, junk(40)), CryptoErrorCode.DecryptFailed).details,
    ).toEqual({ length: 40 });
    expect(
      expectCryptoError(() => aesGcmOpen(key, nonce, undefined as never), CryptoErrorCode.DecryptFailed)
        .details,
    ).toEqual({ length: undefined });
  });

  it('both implementations keep the authentication failure as cause', () => {
    const sealed = aesGcmSeal(key, nonce, Uint8Array.of(1, 2, 3));
    sealed[0]! ^= 1;
    expect(
      expectCryptoError(() => openNoble(key, nonce, sealed), CryptoErrorCode.DecryptFailed).cause,
    ).toBeDefined();
    expect(
      expectCryptoError(() => openNode(fastNode()!, key, nonce, sealed), CryptoErrorCode.DecryptFailed).cause,
    ).toBeDefined();
  });

  it.each(PATHS)('%s path: an empty AAD equals no AAD, a non-empty one must match', (path) =>
    onPath(path, () => {
      const aad = Uint8Array.of(9, 9);
      const plain = Uint8Array.of(5, 6, 7);
      const sealed = aesGcmSeal(key, nonce, plain, new Uint8Array(0));
      expect(bytesToHex(sealed)).toBe(bytesToHex(aesGcmSeal(key, nonce, plain)));
      expect(bytesToHex(aesGcmOpen(key, nonce, sealed, new Uint8Array(0)))).toBe(bytesToHex(plain));
      expectCryptoError(() => aesGcmOpen(key, nonce, sealed, aad), CryptoErrorCode.DecryptFailed);
      const withAad = aesGcmSeal(key, nonce, plain, aad);
      expect(bytesToHex(aesGcmOpen(key, nonce, withAad, aad))).toBe(bytesToHex(plain));
      expectCryptoError(() => aesGcmOpen(key, nonce, withAad), CryptoErrorCode.DecryptFailed);
      // Empty plaintext: the output is the tag alone, and opens to nothing.
      const empty = aesGcmSeal(key, nonce, new Uint8Array(0));
      expect(empty.length).toBe(16);
      expect(aesGcmOpen(key, nonce, empty).length).toBe(0);
    }),
  );
});

describe('decryptSymmetric', () => {
  it('shorter than tag + nonce (28 bytes) -> DECRYPT_FAILED with length and minimum', () => {
    const err = expectCryptoError(
      () => decryptSymmetric(key, new Uint8Array(27)),
      CryptoErrorCode.DecryptFailed,
    );
    expect(err.details).toEqual({ length: 27, minimum: 28 });
    const at28 = expectCryptoError(
      () => decryptSymmetric(key, new Uint8Array(28)),
      CryptoErrorCode.DecryptFailed,
    );
    expect(at28.details).toBeUndefined();
  });

  it('non-byte input -> DECRYPT_FAILED with its length', () => {
    expect(
      expectCryptoError(() => decryptSymmetric(key, junk(40)), CryptoErrorCode.DecryptFailed).details,
    ).toEqual({ length: 40, minimum: 28 });
    expect(
      expectCryptoError(() => decryptSymmetric(key, undefined as never), CryptoErrorCode.DecryptFailed)
        .details,
    ).toEqual({ length: undefined, minimum: 28 });
  });
});

describe('ECIES', () => {
  const recipient = () => generatePrivateKey();

  it('shorter than 113 bytes or not bytes -> INVALID_LENGTH with length and minimum', () => {
    const priv = recipient();
    expect(
      expectCryptoError(() => eciesDecrypt(priv, new Uint8Array(112)), CryptoErrorCode.InvalidLength).details,
    ).toEqual({ length: 112, minimum: ECIES_OVERHEAD });
    expect(
      expectCryptoError(() => eciesDecrypt(priv, junk(200)), CryptoErrorCode.InvalidLength).details,
    ).toEqual({ length: 200, minimum: ECIES_OVERHEAD });
    expect(
      expectCryptoError(() => eciesDecrypt(priv, undefined as never), CryptoErrorCode.InvalidLength).details,
    ).toEqual({ length: undefined, minimum: ECIES_OVERHEAD });
  });

  it('an ephemeral key that is not 0x04-prefixed -> INVALID_PUBLIC_KEY with the prefix', () => {
    const priv = recipient();
    const sealed = eciesEncrypt(getPublicKey(priv), Uint8Array.of(1, 2, 3));
    for (const prefix of [2, 3, 6, 7]) {
      const bad = new Uint8Array(sealed);
      bad[0] = prefix;
      const err = expectCryptoError(() => eciesDecrypt(priv, bad), CryptoErrorCode.InvalidPublicKey);
      expect(err.details).toEqual({ prefix });
    }
  });

  it('writes 04 || R || IV || ct || tag with the given IV, plaintext.length + 113 bytes', () => {
    const priv = recipient();
    const iv = new Uint8Array(16).fill(0x5a);
    const ephemeralPrivateKey = generatePrivateKey();
    const m = Uint8Array.of(1, 2, 3, 4, 5);
    const ct = eciesEncrypt(getPublicKey(priv), m, undefined, { iv, ephemeralPrivateKey });
    expect(ct.length).toBe(m.length + ECIES_OVERHEAD);
    expect(bytesToHex(ct.subarray(0, 65))).toBe(bytesToHex(getPublicKey(ephemeralPrivateKey)));
    expect(bytesToHex(ct.subarray(65, 81))).toBe(bytesToHex(iv));
    expect(bytesToHex(eciesDecrypt(priv, ct))).toBe(bytesToHex(m));
    const fresh = eciesEncrypt(getPublicKey(priv), m);
    expect(fresh.length).toBe(m.length + ECIES_OVERHEAD);
    expect(bytesToHex(fresh.subarray(65, 81))).not.toBe(bytesToHex(iv));
  });

  it('an IV that is not 16 bytes -> INVALID_LENGTH with its sizes', () => {
    const err = expectCryptoError(
      () => eciesEncrypt(getPublicKey(recipient()), Uint8Array.of(1), undefined, { iv: new Uint8Array(12) }),
      CryptoErrorCode.InvalidLength,
    );
    expect(err.details).toEqual({ what: 'ECIES IV', expected: [16], actual: 12 });
  });
});
