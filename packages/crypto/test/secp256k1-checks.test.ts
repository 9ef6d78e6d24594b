import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fastNode, fastSecp256k1 } from '../src/backend.js';
import {
  CryptoErrorCode,
  convertPublicKey,
  ecdhX,
  ephemeralAgreement,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
  isValidPublicKey,
  sign,
} from '../src/index.js';
import {
  ecdhCompressedNative,
  ecdhCompressedNoble,
  ecdhXNative,
  ecdhXNoble,
  ecdhXNode,
  ephemeralAgreementNode,
  recoverPublicKeyNative,
  recoverPublicKeyNoble,
  signNative,
  signNoble,
  verifyNative,
  verifyNoble,
} from '../src/secp256k1.js';
import { expectCryptoError } from './helpers.js';

const hex = bytesToHex;
const native = () => fastSecp256k1()!;
const node = () => fastNode()!;
const ORDER_HEX = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';
const hash = new Uint8Array(32).fill(7);

/** A valid key in the three malformed shapes every path must refuse alike. */
function badKeys(publicKey: Uint8Array) {
  const hybrid = new Uint8Array(publicKey);
  hybrid[0] = 6 + (publicKey[64]! & 1);
  const offCurve = new Uint8Array(publicKey);
  offCurve[64]! ^= 1;
  return { hybrid, offCurve };
}

const recoverers = [
  ['native', (h: Uint8Array, s: Uint8Array) => recoverPublicKeyNative(native(), h, s)],
  ['noble', (h: Uint8Array, s: Uint8Array) => recoverPublicKeyNoble(h, s)],
] as const;
const verifiers = [
  ['native', (h: Uint8Array, s: Uint8Array, p: Uint8Array) => verifyNative(native(), h, s, p)],
  ['noble', verifyNoble],
] as const;

beforeAll(async () => {
  await initFastCrypto();
  expect(fastSecp256k1()).toBeDefined();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('public keys', () => {
  it('isValidPublicKey accepts all three forms of a valid key', () => {
    const priv = generatePrivateKey();
    for (const form of ['compressed', 'uncompressed', 'raw'] as const) {
      expect(isValidPublicKey(getPublicKey(priv, form))).toBe(true);
    }
  });

  it('every path reports a refused key with its length in details', () => {
    const priv = generatePrivateKey();
    const { hybrid, offCurve } = badKeys(getPublicKey(generatePrivateKey()));
    expect(
      expectCryptoError(() => convertPublicKey(offCurve, 'raw'), CryptoErrorCode.InvalidPublicKey).details,
    ).toEqual({ length: 65 });
    for (const bad of [hybrid, offCurve, offCurve.subarray(0, 40)]) {
      for (const run of [
        () => ecdhXNative(native(), priv, bad),
        () => ecdhXNode(node(), priv, bad),
        () => ecdhXNoble(priv, bad),
        () => ephemeralAgreementNode(node(), bad),
      ]) {
        const err = expectCryptoError(run, CryptoErrorCode.InvalidPublicKey);
        expect(err.details).toEqual({ length: bad.length });
      }
    }
  });

  it('noble ECDH gives the 32-byte X and the 33-byte compressed point of the native path', () => {
    const priv = generatePrivateKey();
    const pub = getPublicKey(generatePrivateKey());
    const x = ecdhXNoble(priv, pub);
    expect(x.length).toBe(32);
    expect(hex(x)).toBe(hex(ecdhXNative(native(), priv, pub)));
    const compressed = ecdhCompressedNoble(priv, pub);
    expect(compressed.length).toBe(33);
    expect(hex(compressed)).toBe(hex(ecdhCompressedNative(native(), priv, pub)));
  });

  it('node:crypto ephemeral agreement without a given key generates one', () => {
    const priv = generatePrivateKey();
    const a = ephemeralAgreementNode(node(), getPublicKey(priv, 'raw'));
    const b = ephemeralAgreementNode(node(), getPublicKey(priv, 'raw'));
    expect(a.publicKey.length).toBe(65);
    expect(a.publicKey[0]).toBe(4);
    expect(hex(a.sharedX)).toBe(hex(ecdhX(priv, a.publicKey)));
    expect(hex(a.publicKey)).not.toBe(hex(b.publicKey));
  });
});

describe('backend choice: libsecp256k1 runs whenever it gives the same bytes', () => {
  it('ecdhX and ephemeralAgreement use the native ECDH', () => {
    const ecdh = vi.spyOn(native(), 'ecdh');
    const pub = getPublicKey(generatePrivateKey());
    ecdhX(generatePrivateKey(), pub);
    expect(ecdh).toHaveBeenCalledTimes(1);
    const agreement = ephemeralAgreement(pub);
    expect(ecdh).toHaveBeenCalledTimes(2);
    expect(agreement.publicKey.length).toBe(65);
  });

  it('sign uses libsecp256k1 for hashes below n, noble for hashes >= n (their nonces differ there)', () => {
    const priv = generatePrivateKey();
    const signs = vi.spyOn(native(), 'ecdsaSign');
    const order = hexToBytes(ORDER_HEX);
    const belowN = new Uint8Array(order);
    belowN[31]! -= 1;
    const lowFirst = new Uint8Array(32).fill(0xff);
    lowFirst[0] = 0x01;
    for (const h of [hash, belowN, lowFirst]) {
      signs.mockClear();
      expect(hex(sign(h, priv))).toBe(hex(signNoble(h, priv)));
      expect(signs).toHaveBeenCalledTimes(1);
    }
    for (const h of [order, new Uint8Array(32).fill(0xff)]) {
      signs.mockClear();
      expect(hex(sign(h, priv))).toBe(hex(signNoble(h, priv)));
      expect(signs).not.toHaveBeenCalled();
    }
    // Why: libsecp256k1 derives another nonce for a hash >= n.
    const high = new Uint8Array(32).fill(0xff);
    expect(hex(signNative(native(), high, priv))).not.toBe(hex(signNoble(high, priv)));
  });
});

describe('signatures', () => {
  it.each(recoverers)('%s recovery: 65 bytes only, v in {0, 1, 27, 28}', (_, recover) => {
    const priv = generatePrivateKey();
    const sig = signNoble(hash, priv);
    const expected = hex(getPublicKey(priv));
    expect(hex(recover(hash, sig))).toBe(expected);
    const v27 = new Uint8Array(sig);
    v27[64] = sig[64]! + 27;
    expect(hex(recover(hash, v27))).toBe(expected);
    expectCryptoError(
      () => recover(hash, concatBytes(sig, Uint8Array.of(0))),
      CryptoErrorCode.InvalidSignature,
    );
  });

  it.each(recoverers)('%s recovery refuses v = 2 even where a key would be recoverable', (_, recover) => {
    // r = 2 (< p - n) makes recovery ids 2/3 meaningful: both libraries would return a key for it.
    const sig = new Uint8Array(65);
    sig[31] = 2;
    sig[63] = 1;
    sig[64] = 2;
    expect(native().ecdsaRecover(sig.subarray(0, 64), 2, hash, false).length).toBe(65);
    expectCryptoError(() => recover(hash, sig), CryptoErrorCode.InvalidSignature);
  });

  it.each(recoverers)('%s recovery failure keeps the library error as cause', (_, recover) => {
    const err = expectCryptoError(() => recover(hash, new Uint8Array(65)), CryptoErrorCode.InvalidSignature);
    expect(err.cause).toBeDefined();
  });

  it.each(verifiers)(
    '%s verify: exact hash and signature lengths, low S only, bad keys -> false',
    (_, verify) => {
      const priv = generatePrivateKey();
      const pub = getPublicKey(priv);
      const sig = signNoble(hash, priv);
      expect(verify(hash, sig, pub)).toBe(true);
      expect(verify(hash, sig.subarray(0, 64), pub)).toBe(true);
      expect(verify(hash, sig.subarray(0, 63), pub)).toBe(false);
      expect(verify(hash, concatBytes(sig, Uint8Array.of(0)), pub)).toBe(false);
      expect(verify(concatBytes(hash, Uint8Array.of(0)), sig, pub)).toBe(false);
      expect(verify(hash, sig, badKeys(pub).offCurve)).toBe(false);
      expect(verify(hash, sig, badKeys(pub).hybrid)).toBe(false);
      const n = BigInt(`0x${ORDER_HEX}`);
      const s = BigInt(`0x${hex(sig.subarray(32, 64))}`);
      const highS = concatBytes(sig.subarray(0, 32), hexToBytes((n - s).toString(16).padStart(64, '0')));
      expect(secp256k1.verify(highS, hash, pub, { prehash: false, lowS: false })).toBe(true);
      expect(verify(hash, highS, pub)).toBe(false);
    },
  );
});
