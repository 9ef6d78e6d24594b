import { CryptoError, generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  Discv5ErrorCode,
  decryptMessage,
  encryptMessage,
  sharedSecret,
  signIdNonce,
  verifyIdNonce,
} from '../src/index.js';
import { thrown } from './helpers.js';

describe('sharedSecret', () => {
  it('reports a public key off the curve as a bad handshake caused by the crypto error', () => {
    const err = thrown(() => sharedSecret(generatePrivateKey(), new Uint8Array(33)));
    expect(err).toMatchObject({ code: Discv5ErrorCode.BadHandshake });
    expect(err.cause).toBeInstanceOf(CryptoError);
  });
});

describe('verifyIdNonce', () => {
  it('accepts only a 64-byte r||s signature', () => {
    const key = generatePrivateKey();
    const challenge = new Uint8Array(63).fill(7);
    const eph = getPublicKey(generatePrivateKey(), 'compressed');
    const dest = new Uint8Array(32).fill(9);
    const sig = signIdNonce(key, challenge, eph, dest);
    const pub = getPublicKey(key, 'compressed');
    expect(verifyIdNonce(pub, sig, challenge, eph, dest)).toBe(true);
    const withRecovery = new Uint8Array([...sig, 0]);
    expect(verifyIdNonce(pub, withRecovery, challenge, eph, dest)).toBe(false);
    expect(verifyIdNonce(pub, sig.subarray(0, 63), challenge, eph, dest)).toBe(false);
  });
});

describe('decryptMessage', () => {
  it('reports a forged tag as decrypt-failed caused by the crypto error', () => {
    const key = new Uint8Array(16).fill(1);
    const nonce = new Uint8Array(12).fill(2);
    const sealed = encryptMessage(key, nonce, new Uint8Array([1, 2, 3]), new Uint8Array([4]));
    expect(decryptMessage(key, nonce, sealed, new Uint8Array([4]))).toEqual(new Uint8Array([1, 2, 3]));
    sealed[sealed.length - 1]! ^= 1;
    const err = thrown(() => decryptMessage(key, nonce, sealed, new Uint8Array([4])));
    expect(err).toMatchObject({ code: Discv5ErrorCode.DecryptFailed });
    expect(err.cause).toBeInstanceOf(CryptoError);
  });
});
