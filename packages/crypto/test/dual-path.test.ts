import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAesCtrNoble, createAesCtrNode } from '../src/aes-ctr.js';
import { createAesEcbEncryptorNoble, createAesEcbEncryptorNode } from '../src/aes-ecb.js';
import { openNoble, openNode, sealNoble, sealNode } from '../src/aes-gcm.js';
import { fastKeccak, fastNode, fastNodeEcdh, fastSecp256k1 } from '../src/backend.js';
import * as h from '../src/hashes.js';
import { CryptoError, initFastCrypto, isValidPrivateKey } from '../src/index.js';
import { createKeccak256Noble, createKeccak256Wasm, keccak256Noble, keccak256Wasm } from '../src/keccak.js';
import {
  ecdhCompressedNative,
  ecdhCompressedNoble,
  ecdhXNative,
  ecdhXNoble,
  ecdhXNode,
  ephemeralAgreementNative,
  ephemeralAgreementNoble,
  ephemeralAgreementNode,
  getPublicKey,
  getPublicKeyNative,
  getPublicKeyNoble,
  recoverPublicKeyNative,
  recoverPublicKeyNoble,
  sign,
  signNative,
  signNoble,
  verifyNative,
  verifyNoble,
} from '../src/secp256k1.js';
import { expectFastBackends } from './helpers.js';

/**
 * Every primitive with a fast path (node:crypto or WASM) must produce exactly the bytes of its noble
 * path. These tests call both implementations directly on the same random input.
 */
const hex = bytesToHex;
const node = () => fastNode()!;
const bytesArb = (maxLength = 300) => fc.uint8Array({ maxLength });
const partsArb = fc.array(bytesArb(200), { maxLength: 4 });
const keyArb = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const privateKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(isValidPrivateKey);
const RUNS = { numRuns: 1000 };
// One noble secp256k1 point multiplication is 2-5 ms on the shared CI machine: 100 runs (~1 s).
const EC_RUNS = { numRuns: 100 };

const native = () => fastSecp256k1()!;
const formArb = fc.constantFrom('compressed', 'uncompressed', 'raw') as fc.Arbitrary<'raw'>;
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** The outcome of `fn` as comparable text: its bytes or booleans, or the code of the CryptoError it threw. */
function outcome(fn: () => Uint8Array | boolean): string {
  try {
    const result = fn();
    return typeof result === 'boolean' ? String(result) : hex(result);
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    return `throws ${(err as CryptoError).code}`;
  }
}

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
  expect(fastNodeEcdh()).toBeDefined();
  expect(fastSecp256k1()).toBeDefined();
});

describe('fast path == noble path', () => {
  it('keccak256 one-shot (WASM vs noble)', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        expect(hex(keccak256Wasm(fastKeccak()!, parts))).toBe(hex(keccak256Noble(parts)));
      }),
      RUNS,
    );
  });

  it('keccak256 across block and chunk borders: inputs of 0-1,200 bytes and one of 200 KB (WASM vs noble)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), fc.nat(1200), (data, cut) => {
        const at = Math.min(cut, data.length);
        expect(hex(keccak256Wasm(fastKeccak()!, [data]))).toBe(hex(keccak256Noble([data])));
        const parts = [data.subarray(0, at), data.subarray(at)];
        expect(hex(keccak256Wasm(fastKeccak()!, parts))).toBe(hex(keccak256Noble([data])));
      }),
      RUNS,
    );
    // Larger than the module's 64 KiB input area: absorbed in several chunks.
    const big = new Uint8Array(200_000).map((_, i) => (i * 7919) & 0xff);
    expect(hex(keccak256Wasm(fastKeccak()!, [Uint8Array.of(1), big]))).toBe(
      hex(keccak256Noble([Uint8Array.of(1), big])),
    );
  });

  it('keccak256 running state: updates, non-finalizing digests and clones (WASM vs noble)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(bytesArb(64), fc.boolean()), { maxLength: 12 }), (steps) => {
        let wasm = createKeccak256Wasm(fastKeccak()!);
        let noble = createKeccak256Noble();
        for (const [data, fork] of steps) {
          wasm.update(data);
          noble.update(data);
          expect(hex(wasm.digest())).toBe(hex(noble.digest()));
          if (fork) [wasm, noble] = [wasm.clone(), noble.clone()];
        }
      }),
      RUNS,
    );
  });

  it('sha256 and hmacSha256', () => {
    fc.assert(
      fc.property(partsArb, bytesArb(100), (parts, key) => {
        expect(hex(h.sha256Node(node(), parts))).toBe(hex(h.sha256Noble(parts)));
        expect(hex(h.hmacSha256Node(node(), key, parts))).toBe(hex(h.hmacSha256Noble(key, parts)));
      }),
      RUNS,
    );
  });

  it('hkdfSha256 (with and without salt)', () => {
    fc.assert(
      fc.property(
        bytesArb(80),
        fc.option(bytesArb(80), { nil: undefined }),
        bytesArb(80),
        fc.integer({ min: 1, max: 300 }),
        (ikm, salt, info, length) => {
          expect(hex(h.hkdfSha256Node(node(), ikm, salt, info, length))).toBe(
            hex(h.hkdfSha256Noble(ikm, salt, info, length)),
          );
        },
      ),
      RUNS,
    );
  });

  it('pbkdf2Sha256', () => {
    fc.assert(
      fc.property(
        bytesArb(40),
        bytesArb(40),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 100 }),
        (pw, salt, c, length) => {
          expect(hex(h.pbkdf2Sha256Node(node(), pw, salt, c, length))).toBe(
            hex(h.pbkdf2Sha256Noble(pw, salt, c, length)),
          );
        },
      ),
      RUNS,
    );
  });

  it('scrypt', () => {
    fc.assert(
      fc.property(
        bytesArb(20),
        bytesArb(20),
        fc.constantFrom(2, 4, 8, 16),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 80 }),
        (pw, salt, N, r, p, dkLen) => {
          const params = { N, r, p, dkLen };
          expect(hex(h.scryptNode(node(), pw, salt, params))).toBe(hex(h.scryptNoble(pw, salt, params)));
        },
      ),
      RUNS,
    );
  });

  it('AES-CTR streams (same chunking on both)', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.array(bytesArb(70), { maxLength: 6 }),
        (key, iv, chunks) => {
          const fast = createAesCtrNode(node(), key, iv);
          const noble = createAesCtrNoble(key, iv);
          for (const c of chunks) expect(hex(fast.update(c))).toBe(hex(noble.update(c)));
        },
      ),
      RUNS,
    );
  });

  it('AES single-block encryptor, one key for many blocks (OpenSSL ECB vs noble)', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { maxLength: 5 }),
        (key, blocks) => {
          const fast = createAesEcbEncryptorNode(node(), key);
          const noble = createAesEcbEncryptorNoble(key);
          for (const block of blocks) expect(hex(fast(block))).toBe(hex(noble(block)));
        },
      ),
      RUNS,
    );
  });

  it('AES-GCM seal and open (any key size, with and without AAD)', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        bytesArb(),
        fc.option(bytesArb(40), { nil: undefined }),
        (key, nonce, m, aad) => {
          const sealed = sealNode(node(), key, nonce, m, aad);
          expect(hex(sealed)).toBe(hex(sealNoble(key, nonce, m, aad)));
          expect(hex(openNode(node(), key, nonce, sealed, aad))).toBe(hex(m));
          expect(hex(openNoble(key, nonce, sealed, aad))).toBe(hex(m));
        },
      ),
      RUNS,
    );
  });

  it('ecdhX and the ephemeral ECIES agreement (OpenSSL vs noble)', () => {
    fc.assert(
      fc.property(
        privateKeyArb,
        privateKeyArb,
        fc.constantFrom('compressed', 'uncompressed', 'raw') as fc.Arbitrary<'raw'>,
        (a, b, form) => {
          const pub = getPublicKey(b, form);
          expect(hex(ecdhXNode(node(), a, pub))).toBe(hex(ecdhXNoble(a, pub)));
          const fast = ephemeralAgreementNode(node(), pub, a);
          const noble = ephemeralAgreementNoble(pub, a);
          expect(hex(fast.publicKey)).toBe(hex(noble.publicKey));
          expect(hex(fast.sharedX)).toBe(hex(noble.sharedX));
        },
      ),
      EC_RUNS,
    );
  });

  it('secp256k1 getPublicKey in every form (libsecp256k1 vs noble)', () => {
    fc.assert(
      fc.property(privateKeyArb, formArb, (key, form) => {
        expect(hex(getPublicKeyNative(native(), key, form))).toBe(hex(getPublicKeyNoble(key, form)));
      }),
      EC_RUNS,
    );
  });

  it('secp256k1 sign: byte-identical RFC 6979 signatures, low S, same v (libsecp256k1 vs noble)', () => {
    fc.assert(
      fc.property(privateKeyArb, hashArb, (key, hash) => {
        const expected = hex(signNoble(hash, key));
        if (hash[0] !== 0xff) expect(hex(signNative(native(), hash, key))).toBe(expected);
        expect(hex(sign(hash, key))).toBe(expected); // the dispatcher, whatever path it takes
      }),
      EC_RUNS,
    );
    // Hashes at or above the group order n go to noble (the bundled libsecp256k1 derives its RFC 6979
    // nonce from the unreduced hash); just below n the native path must still agree.
    const key = new Uint8Array(32).fill(7);
    for (const h of ['ff'.repeat(32), 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141']) {
      const hash = new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
      expect(hex(sign(hash, key))).toBe(hex(signNoble(hash, key)));
    }
    const belowN = new Uint8Array(
      'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140'
        .match(/../g)!
        .map((x) => parseInt(x, 16)),
    );
    expect(hex(signNative(native(), belowN, key))).toBe(hex(signNoble(belowN, key)));
  });

  it('secp256k1 recover and verify on valid, tampered and random signatures (libsecp256k1 vs noble)', () => {
    fc.assert(
      fc.property(
        privateKeyArb,
        hashArb,
        fc.uint8Array({ minLength: 65, maxLength: 65 }),
        fc.integer({ min: 0, max: 3 }),
        formArb,
        (key, hash, garbage, mode, form) => {
          const sig = signNoble(hash, key);
          // 0: valid, 1: one byte flipped, 2: random bytes with a valid v, 3: high S (n - s).
          if (mode === 1) sig[garbage[0]! % 64]! ^= 1 + (garbage[1]! % 255);
          if (mode === 2) sig.set(garbage.subarray(0, 64));
          if (mode === 3) {
            const s = BigInt(`0x${hex(sig.subarray(32, 64))}`);
            const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
            sig.set(
              (n - s)
                .toString(16)
                .padStart(64, '0')
                .match(/../g)!
                .map((x) => parseInt(x, 16)),
              32,
            );
            sig[64] = sig[64]! ^ 1;
          }
          expect(outcome(() => recoverPublicKeyNative(native(), hash, sig, form))).toBe(
            outcome(() => recoverPublicKeyNoble(hash, sig, form)),
          );
          const publicKey = getPublicKeyNoble(key, form);
          for (const s of [sig, sig.subarray(0, 64)]) {
            expect(verifyNative(native(), hash, s, publicKey)).toBe(verifyNoble(hash, s, publicKey));
          }
          if (mode === 0) expect(verifyNative(native(), hash, sig, publicKey)).toBe(true);
          if (mode === 3) expect(verifyNative(native(), hash, sig, publicKey)).toBe(false);
        },
      ),
      EC_RUNS,
    );
  });

  it('secp256k1 ECDH (X, compressed, ephemeral) on valid and invalid public keys (libsecp256k1 vs noble)', () => {
    fc.assert(
      fc.property(
        privateKeyArb,
        privateKeyArb,
        formArb,
        fc.uint8Array({ minLength: 1, maxLength: 66 }),
        (a, b, form, junk) => {
          const pub = getPublicKeyNoble(b, form);
          expect(hex(ecdhXNative(native(), a, pub))).toBe(hex(ecdhXNoble(a, pub)));
          expect(hex(ecdhCompressedNative(native(), a, pub))).toBe(hex(ecdhCompressedNoble(a, pub)));
          const fast = ephemeralAgreementNative(native(), pub, a);
          const noble = ephemeralAgreementNoble(pub, a);
          expect(hex(fast.publicKey)).toBe(hex(noble.publicKey));
          expect(hex(fast.sharedX)).toBe(hex(noble.sharedX));
          // Random bytes (mostly not a point), a corrupted key and a hybrid (06/07) encoding.
          const corrupted = pub.slice();
          corrupted[corrupted.length - 1]! ^= 1;
          const uncompressed = getPublicKeyNoble(b, 'uncompressed');
          const hybrid = uncompressed.slice();
          hybrid[0] = 6 + (uncompressed[64]! & 1);
          for (const bad of [junk, corrupted, hybrid]) {
            expect(outcome(() => ecdhXNative(native(), a, bad))).toBe(outcome(() => ecdhXNoble(a, bad)));
            expect(outcome(() => ecdhCompressedNative(native(), a, bad))).toBe(
              outcome(() => ecdhCompressedNoble(a, bad)),
            );
          }
        },
      ),
      EC_RUNS,
    );
  });
});
