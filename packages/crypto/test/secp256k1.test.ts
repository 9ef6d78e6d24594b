import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CryptoErrorCode,
  convertPublicKey,
  ecdhCompressed,
  ecdhX,
  getPublicKey,
  isValidPrivateKey,
  isValidPublicKey,
  keccak256,
  recoverPublicKey,
  sha256,
  sign,
  signCompact,
  verify,
} from '../src/index.js';
import vectors from './data/standard-vectors.json' with { type: 'json' };
import { ascii, expectCryptoError, onPath, PATHS, readVectors } from './helpers.js';

const v = vectors.secp256k1;
const hex = bytesToHex;
const bytes = hexToBytes;
const N = secp256k1.Point.CURVE().n;
const HALF_N = N >> 1n;

// Point multiplications cost 2-5 ms each in pure JS on the shared 2-core CI machine (one property run here
// does 3-4 of them), so the elliptic-curve properties run 300 times (~2 s each) to keep the suite under
// 40 s; every byte-level codec and decoder property in this package runs >= 1,000 times.
const EC_RUNS = 300;

const privateKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => isValidPrivateKey(k));
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

const address = (publicKey65: Uint8Array) => hex(keccak256(publicKey65.subarray(1)).subarray(12));

describe('secp256k1 against go-ethereum vectors', () => {
  it('signs keccak256("foo") with testPrivHex and recovers testAddrHex (crypto_test.go TestSign)', () => {
    const key = bytes(v.sign.private_key);
    const msg = keccak256(ascii(v.sign.message_ascii));
    const sig = sign(msg, key);
    expect(sig.length).toBe(65);
    expect(address(recoverPublicKey(msg, sig))).toBe(v.sign.address);
    expect(address(getPublicKey(key))).toBe(v.sign.address);
  });

  it('recovers testpubkey from testsig and verifies with both key forms (signature_test.go)', () => {
    const msg = bytes(v.recover.message);
    const sig = bytes(v.recover.signature);
    expect(hex(recoverPublicKey(msg, sig))).toBe(v.recover.public_key);
    expect(hex(recoverPublicKey(msg, sig, 'compressed'))).toBe(v.recover.public_key_compressed);
    expect(hex(recoverPublicKey(msg, sig, 'raw'))).toBe(v.recover.public_key.slice(2));
    expect(verify(msg, sig.subarray(0, 64), bytes(v.recover.public_key))).toBe(true);
    expect(verify(msg, sig.subarray(0, 64), bytes(v.recover.public_key_compressed))).toBe(true);
    const wrong = bytes(v.recover.public_key);
    wrong[10]! += 1;
    expect(verify(msg, sig.subarray(0, 64), wrong)).toBe(false);
    expect(verify(msg, sig.subarray(0, 62), bytes(v.recover.public_key))).toBe(false);
  });

  it('accepts v = 27/28 on recovery (Whisper-era signatures)', () => {
    const msg = bytes(v.recover.message);
    const sig = bytes(v.recover.signature);
    sig[64] = sig[64]! + 27;
    expect(hex(recoverPublicKey(msg, sig))).toBe(v.recover.public_key);
  });

  it('rejects the malleable high-S signature (TestVerifySignatureMalleable)', () => {
    expect(
      verify(bytes(v.malleable.message), bytes(v.malleable.signature), bytes(v.malleable.public_key)),
    ).toBe(false);
  });

  it('converts between the three public key forms (TestDecompressPubkey / TestCompressPubkey)', () => {
    expect(hex(convertPublicKey(bytes(v.recover.public_key_compressed), 'uncompressed'))).toBe(
      v.recover.public_key,
    );
    expect(hex(convertPublicKey(bytes(v.recover.public_key), 'compressed'))).toBe(
      v.recover.public_key_compressed,
    );
    expect(hex(convertPublicKey(bytes(v.recover.public_key).subarray(1), 'uncompressed'))).toBe(
      v.recover.public_key,
    );
  });

  it.each(PATHS)(
    'ECDH X matches the ecies TestSharedKeyStatic / TestSharedKeyPadding values (%s path)',
    (path) =>
      onPath(path, () => {
        const s = v.shared_key_static;
        const [a, b] = [bytes(s.private_key_1), bytes(s.private_key_2)];
        expect(hex(ecdhX(a, getPublicKey(b)))).toBe(s.shared_x);
        expect(hex(ecdhX(b, getPublicKey(a, 'compressed')))).toBe(s.shared_x);
        expect(hex(ecdhX(b, getPublicKey(a, 'raw')))).toBe(s.shared_x);
        const p = v.shared_key_padding;
        const [k0, k1] = [bytes(p.private_key_0), bytes(p.private_key_1)];
        expect(hex(getPublicKey(k0, 'raw'))).toBe(p.public_x_0 + p.public_y_0);
        expect(hex(getPublicKey(k1, 'raw'))).toBe(p.public_x_1 + p.public_y_1);
        const shared = ecdhX(k0, getPublicKey(k1));
        expect(shared.length).toBe(32);
        expect(hex(ecdhX(k1, getPublicKey(k0)))).toBe(hex(shared));
      }),
  );

  it('reproduces the discv5 ECDH, id-signature and key derivation primitives (discv5-wire.json)', () => {
    const p = readVectors('discv5-wire.json').primitives;
    expect(hex(ecdhCompressed(bytes(p.ecdh.secret_key), bytes(p.ecdh.public_key)))).toBe(
      p.ecdh.shared_secret.slice(2),
    );
    // id-signature: RFC 6979 signature over sha256("discovery v5 identity proof" || challenge || eph || id).
    const s = p.id_nonce_signing;
    const input = sha256(
      ascii('discovery v5 identity proof'),
      bytes(s.challenge_data),
      bytes(s.ephemeral_pubkey),
      bytes(s.node_id_b),
    );
    expect(hex(signCompact(input, bytes(s.static_key)))).toBe(s.id_signature.slice(2));
  });
});

describe('secp256k1 properties', () => {
  it('sign emits low-S and v in {0, 1}; recover returns the signer; verify accepts', () => {
    fc.assert(
      fc.property(privateKeyArb, hashArb, (key, hash) => {
        const sig = sign(hash, key);
        const s = BigInt(`0x${hex(sig.subarray(32, 64))}`);
        expect(s <= HALF_N && s > 0n).toBe(true);
        expect([0, 1]).toContain(sig[64]);
        const pub = getPublicKey(key);
        expect(hex(recoverPublicKey(hash, sig))).toBe(hex(pub));
        expect(verify(hash, sig, pub)).toBe(true);
      }),
      { numRuns: 1000 }, // issue #3: >= 1,000 sign/recover cases in CI
    );
  });

  it('ECDH is symmetric and ecdhX is the X of ecdhCompressed', () => {
    fc.assert(
      fc.property(privateKeyArb, privateKeyArb, (a, b) => {
        const ab = ecdhX(a, getPublicKey(b));
        expect(hex(ab)).toBe(hex(ecdhX(b, getPublicKey(a, 'compressed'))));
        expect(hex(ecdhCompressed(a, getPublicKey(b, 'raw')).subarray(1))).toBe(hex(ab));
      }),
      { numRuns: EC_RUNS / 3 },
    );
  });
});

describe('secp256k1 rejects invalid input with typed codes', () => {
  const key = bytes(v.sign.private_key);
  const hash = new Uint8Array(32).fill(7);

  it('invalid private keys: zero, n, > n, wrong length', () => {
    const n = bytes(N.toString(16).padStart(64, '0'));
    for (const bad of [
      new Uint8Array(32),
      n,
      new Uint8Array(32).fill(0xff),
      new Uint8Array(31).fill(1),
      new Uint8Array(33).fill(1),
    ]) {
      expect(isValidPrivateKey(bad)).toBe(false);
      expectCryptoError(() => sign(hash, bad), CryptoErrorCode.InvalidPrivateKey);
      expectCryptoError(() => getPublicKey(bad), CryptoErrorCode.InvalidPrivateKey);
      for (const path of PATHS) {
        onPath(path, () =>
          expectCryptoError(() => ecdhX(bad, getPublicKey(key)), CryptoErrorCode.InvalidPrivateKey),
        );
      }
    }
  });

  it('invalid public keys: off-curve, bad prefix (incl. hybrid 06/07), wrong length', () => {
    const good = getPublicKey(key);
    const offCurve = new Uint8Array(good);
    offCurve[64]! ^= 1;
    const hybrid = new Uint8Array(good);
    hybrid[0] = 6 + (good[64]! & 1);
    const badPrefix = getPublicKey(key, 'compressed');
    badPrefix[0] = 5;
    for (const bad of [
      offCurve,
      hybrid,
      badPrefix,
      good.subarray(0, 40),
      new Uint8Array(65),
      new Uint8Array(0),
    ]) {
      expect(isValidPublicKey(bad)).toBe(false);
      expectCryptoError(() => convertPublicKey(bad, 'compressed'), CryptoErrorCode.InvalidPublicKey);
      for (const path of PATHS) {
        onPath(path, () => expectCryptoError(() => ecdhX(key, bad), CryptoErrorCode.InvalidPublicKey));
      }
      expectCryptoError(() => ecdhCompressed(key, bad), CryptoErrorCode.InvalidPublicKey);
      expect(verify(hash, sign(hash, key), bad)).toBe(false);
    }
  });

  it('invalid signatures and hashes', () => {
    const sig = sign(hash, key);
    const badV = new Uint8Array(sig);
    badV[64] = 2;
    expectCryptoError(() => recoverPublicKey(hash, badV), CryptoErrorCode.InvalidSignature);
    expectCryptoError(() => recoverPublicKey(hash, sig.subarray(0, 64)), CryptoErrorCode.InvalidSignature);
    const zeroR = new Uint8Array(65);
    expectCryptoError(() => recoverPublicKey(hash, zeroR), CryptoErrorCode.InvalidSignature);
    expectCryptoError(() => sign(hash.subarray(1), key), CryptoErrorCode.InvalidLength);
    expectCryptoError(() => recoverPublicKey(hash.subarray(1), sig), CryptoErrorCode.InvalidLength);
    expect(verify(hash.subarray(1), sig, getPublicKey(key))).toBe(false);
  });

  it('recoverPublicKey fed random signatures throws only CryptoError', () => {
    fc.assert(
      fc.property(hashArb, fc.uint8Array({ minLength: 0, maxLength: 70 }), (h, sig) => {
        try {
          const pub = recoverPublicKey(h, sig);
          expect(pub.length).toBe(65);
        } catch (err) {
          expect((err as { code?: string }).code).toBe(CryptoErrorCode.InvalidSignature);
        }
      }),
      { numRuns: 1000 }, // a decoder: >= 1,000 cases
    );
  });
});
