import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { ecdhX, encryptSymmetric, generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { decryptWithDh, encryptWithDh, SecureTransportErrorCode } from '../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('DH fallback (no bundle known, ST-09)', () => {
  const bob = generatePrivateKey();
  const bobPublic = getPublicKey(bob, 'compressed');

  it('round-trips, with a fresh compressed ephemeral key each time', () => {
    const m1 = encryptWithDh(bobPublic, utf8ToBytes('first contact'));
    const m2 = encryptWithDh(bobPublic, utf8ToBytes('first contact'));
    expect(m1.ephemeralPublicKey).toHaveLength(33);
    expect(m1.ephemeralPublicKey).not.toEqual(m2.ephemeralPublicKey);
    expect(bytesToUtf8(decryptWithDh(bob, m1))).toBe('first contact');
  });

  it('is status-go EncryptSymmetric under the X of ECDH(ephemeral, identity)', () => {
    const ephemeral = generatePrivateKey();
    const payload = encryptSymmetric(ecdhX(ephemeral, bobPublic), utf8ToBytes('by hand'));
    const message = { ephemeralPublicKey: getPublicKey(ephemeral, 'compressed'), payload };
    expect(bytesToUtf8(decryptWithDh(bob, message))).toBe('by hand');
  });

  it('wrong recipient or tampered payload: ERR_ST_DECRYPT_FAILED; bad key: ERR_ST_BAD_KEY', () => {
    const m = encryptWithDh(bobPublic, utf8ToBytes('x'));
    expect(() => decryptWithDh(generatePrivateKey(), m)).toThrowError(
      code(SecureTransportErrorCode.DecryptFailed),
    );
    const payload = m.payload.slice();
    payload[0]! ^= 1;
    expect(() => decryptWithDh(bob, { ...m, payload })).toThrowError(
      code(SecureTransportErrorCode.DecryptFailed),
    );
    expect(() => decryptWithDh(bob, { ...m, payload: new Uint8Array(5) })).toThrowError(
      code(SecureTransportErrorCode.DecryptFailed),
    );
    expect(() => decryptWithDh(bob, { ...m, ephemeralPublicKey: new Uint8Array(33) })).toThrowError(
      code(SecureTransportErrorCode.BadKey),
    );
  });
});
