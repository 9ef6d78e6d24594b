import {
  aesGcmOpen,
  aesGcmSeal,
  convertPublicKey,
  decryptKeystore,
  decryptSymmetric,
  eciesDecrypt,
  eciesEncrypt,
  encryptKeystore,
  encryptSymmetric,
  getPublicKey,
  isValidPublicKey,
  keccak256,
  recoverPublicKey,
  sign,
  verify,
} from '@status-ts/crypto';
import fc from 'fast-check';
import { bytesFrom, jsonTextFrom, jsonValueFrom, pool } from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { each, entry, type FuzzEntry, layer } from './harness.js';

const key = fixedKey('crypto 1');
const publicKeys = [getPublicKey(key), getPublicKey(key, 'compressed'), getPublicKey(key, 'raw')];
const eciesMessages = [new Uint8Array(0), new Uint8Array(100).fill(1)].map((m) =>
  eciesEncrypt(getPublicKey(key), m),
);
const symKey = new Uint8Array(32).fill(7);
const hash = keccak256(Uint8Array.of(1, 2, 3));
const signature = sign(hash, key);
const password = 'fuzz password';
// Cheap KDF parameters, and limits that refuse expensive ones an edit may produce.
const keystores = [
  encryptKeystore(key, password, { kdf: 'scrypt', scrypt: { n: 16, r: 1, p: 1 } }),
  encryptKeystore(key, password, { kdf: 'pbkdf2', pbkdf2Iterations: 2 }),
];
const cheapLimits = {
  limits: { maxScryptCost: 1 << 10, maxScryptMemory: 1 << 20, maxPbkdf2Iterations: 1_000 },
};

export const cryptoEntries: FuzzEntry[] = layer('crypto', [
  entry({
    name: 'eciesDecrypt (random private key)',
    arbitrary: fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), bytesFrom(pool(eciesMessages), 300)),
    how: 'random bytes and mutated ECIES messages under random 32-byte keys',
    decode: ([privateKey, data]) => eciesDecrypt(privateKey, data),
    slow: { share: 0.2, why: 'ECDH per message with a valid ephemeral key' },
  }),
  entry({
    name: 'eciesDecrypt (right key, shared MAC data)',
    arbitrary: fc.tuple(bytesFrom(pool(eciesMessages), 300), fc.uint8Array({ maxLength: 4 })),
    how: 'random bytes and mutated ECIES messages to our key, random shared MAC data',
    decode: ([data, macData]) => eciesDecrypt(key, data, macData),
    slow: { share: 0.2, why: 'ECDH per message with a valid ephemeral key' },
  }),
  entry({
    name: 'decryptKeystore (JSON text from disk)',
    arbitrary: jsonTextFrom(fc.constantFrom(...keystores)),
    how: 'random JSON and text, edited scrypt (n=16) and pbkdf2 (c=2) keystore texts, KDF cost limits',
    decode: (text) => decryptKeystore(text, password, cheapLimits),
  }),
  entry({
    name: 'decryptKeystore (parsed object)',
    arbitrary: jsonValueFrom(fc.constantFrom(...keystores)),
    how: 'random JSON values and keystores with one node replaced by random JSON, KDF cost limits',
    decode: (value) => decryptKeystore(value as Parameters<typeof decryptKeystore>[0], password, cheapLimits),
  }),
  entry({
    name: 'decryptSymmetric',
    arbitrary: fc.tuple(
      fc.oneof(
        fc.constant(symKey),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 40 }),
      ),
      bytesFrom(
        fc.uint8Array({ maxLength: 60 }).map((m) => encryptSymmetric(symKey, m)),
        100,
      ),
    ),
    how: 'random and mutated AES-GCM payloads under the right, random and wrong-sized keys',
    decode: ([k, data]) => decryptSymmetric(k, data),
  }),
  entry({
    name: 'aesGcmOpen',
    arbitrary: fc.tuple(
      fc.oneof(
        fc.constant(symKey),
        fc.constantFrom(16, 24, 32, 31).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      ),
      fc.oneof(
        fc.constant(new Uint8Array(12)),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 16 }),
      ),
      bytesFrom(
        fc.uint8Array({ maxLength: 40 }).map((m) => aesGcmSeal(symKey, new Uint8Array(12), m)),
        80,
      ),
      fc.option(fc.uint8Array({ maxLength: 20 })),
    ),
    how: 'random and mutated sealed data under the right and random keys (also wrong-sized), nonces and AAD',
    decode: ([k, nonce, sealed, aad]) => aesGcmOpen(k, nonce, sealed, aad ?? undefined),
  }),
  entry({
    name: 'convertPublicKey / isValidPublicKey',
    arbitrary: fc.tuple(
      bytesFrom(pool(publicKeys), 70),
      fc.constantFrom('uncompressed' as const, 'compressed' as const, 'raw' as const),
    ),
    how: 'random bytes, edited compressed, uncompressed and raw public keys',
    decode: ([bytes, form]) => each([() => isValidPublicKey(bytes), () => convertPublicKey(bytes, form)]),
    slow: { share: 0.5, why: 'secp256k1 point decompression per well-formed key' },
  }),
  entry({
    name: 'recoverPublicKey',
    arbitrary: fc.tuple(bytesFrom(fc.constant(hash), 40), bytesFrom(fc.constant(signature), 70)),
    how: 'random and edited hashes and 65-byte signatures',
    decode: ([h, sig]) => recoverPublicKey(h, sig),
  }),
  entry({
    name: 'verify',
    arbitrary: fc.tuple(
      bytesFrom(fc.constant(hash), 40),
      bytesFrom(fc.constant(signature), 70),
      bytesFrom(pool(publicKeys), 70),
    ),
    how: 'random and edited hashes, signatures and public keys',
    decode: ([h, sig, pub]) => verify(h, sig, pub),
  }),
]);
