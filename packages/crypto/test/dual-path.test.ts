import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAesCtrNoble, createAesCtrNode } from '../src/aes-ctr.js';
import { openNoble, openNode, sealNoble, sealNode } from '../src/aes-gcm.js';
import { fastKeccak, fastNode, fastNodeEcdh } from '../src/backend.js';
import * as h from '../src/hashes.js';
import { initFastCrypto, isValidPrivateKey } from '../src/index.js';
import { createKeccak256Noble, createKeccak256Wasm, keccak256Noble, keccak256Wasm } from '../src/keccak.js';
import {
  ecdhXNoble,
  ecdhXNode,
  ephemeralAgreementNoble,
  ephemeralAgreementNode,
  getPublicKey,
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

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
  expect(fastNodeEcdh()).toBeDefined();
});

describe('fast path == noble path', () => {
  it('keccak256 one-shot (hash-wasm vs noble)', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        expect(hex(keccak256Wasm(fastKeccak()!, parts))).toBe(hex(keccak256Noble(parts)));
      }),
      RUNS,
    );
  });

  it('keccak256 running state: updates, non-finalizing digests and clones (hash-wasm vs noble)', () => {
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
});
