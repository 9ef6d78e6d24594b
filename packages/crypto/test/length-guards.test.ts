import { describe, expect, it } from 'vitest';
import { createAesCtrNoble, createAesCtrNode } from '../src/aes-ctr.js';
import { createAesEcbEncryptorNoble, createAesEcbEncryptorNode } from '../src/aes-ecb.js';
import { fastNode } from '../src/backend.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  CryptoErrorCode,
  createAesCtr,
  createAesEcbEncryptor,
  decryptSymmetric,
  eciesEncrypt,
  encryptKeystore,
  encryptSymmetric,
  generatePrivateKey,
  getPublicKey,
} from '../src/index.js';
import { expectCryptoError } from './helpers.js';

const bytes = (n: number) => new Uint8Array(n);
const node = fastNode()!;
const LIGHT_SCRYPT = { scrypt: { n: 16, r: 8, p: 1 } };

/** Each byte input checked by length, the call that gets a wrong-sized one, and the name it reports. */
const inputs: Array<[string, (n: number) => unknown, number]> = [
  ['AES key', (n) => createAesCtr(bytes(n), bytes(16)), 16],
  ['AES-CTR IV', (n) => createAesCtr(bytes(16), bytes(n)), 16],
  ['AES key', (n) => createAesCtrNoble(bytes(n), bytes(16)), 16],
  ['AES-CTR IV', (n) => createAesCtrNoble(bytes(16), bytes(n)), 16],
  ['AES key', (n) => createAesCtrNode(node, bytes(n), bytes(16)), 16],
  ['AES-CTR IV', (n) => createAesCtrNode(node, bytes(16), bytes(n)), 16],
  ['AES key', (n) => createAesEcbEncryptor(bytes(n)), 16],
  ['AES key', (n) => createAesEcbEncryptorNoble(bytes(n)), 16],
  ['AES key', (n) => createAesEcbEncryptorNode(node, bytes(n)), 16],
  ['AES block', (n) => createAesEcbEncryptorNoble(bytes(16))(bytes(n)), 16],
  ['AES block', (n) => createAesEcbEncryptorNode(node, bytes(16))(bytes(n)), 16],
  ['AES-GCM key', (n) => aesGcmSeal(bytes(n), bytes(12), bytes(1)), 16],
  ['AES-GCM nonce', (n) => aesGcmSeal(bytes(32), bytes(n), bytes(1)), 12],
  ['symmetric key', (n) => encryptSymmetric(bytes(n), bytes(1)), 32],
  ['GCM nonce', (n) => encryptSymmetric(bytes(32), bytes(1), bytes(n)), 12],
  ['symmetric key', (n) => decryptSymmetric(bytes(n), bytes(40)), 32],
  [
    'ECIES IV',
    (n) => eciesEncrypt(getPublicKey(generatePrivateKey()), bytes(1), undefined, { iv: bytes(n) }),
    16,
  ],
  ['keystore IV', (n) => encryptKeystore(generatePrivateKey(), 'pw', { ...LIGHT_SCRYPT, iv: bytes(n) }), 16],
];

describe('byte-length guards name the input in details.what', () => {
  it.each(inputs)(
    '%s: a wrong length reports what, the allowed lengths and the actual one',
    (what, call, ok) => {
      const err = expectCryptoError(() => call(ok + 1), CryptoErrorCode.InvalidLength);
      expect(err.details?.what).toBe(what);
      expect(err.details?.actual).toBe(ok + 1);
      expect(err.details?.expected).toContain(ok);
    },
  );

  it('a value that is not a Uint8Array reports what too', () => {
    const notBytes = [1, 2] as unknown as Uint8Array;
    expect(expectCryptoError(() => createAesCtr(notBytes, bytes(16))).details).toEqual({ what: 'AES key' });
    expect(expectCryptoError(() => aesGcmOpen(bytes(32), notBytes, bytes(20))).details).toEqual({
      what: 'AES-GCM nonce',
    });
  });
});
