import { bytesToHex } from '@status-ts/core';
import { ecdhX, generatePrivateKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { performActiveX3dh, SecureTransportErrorCode, x3dhActive, x3dhPassive } from '../src/index.js';
import { asciiKey, hex, vectors } from './helpers/vectors.js';

const v = vectors.x3dh;
const aliceIdentity = asciiKey('alice_identity');
const aliceEphemeral = asciiKey('alice_ephemeral');
const bobIdentity = asciiKey('bob_identity');
const bobSignedPreKey = asciiKey('bob_signed_pre_key');
const pub = (k: Uint8Array) => getPublicKey(k, 'compressed');

describe('X3DH (status-go TestX3dhActive / TestPerformPassiveX3DH, official)', () => {
  it('ASCII-string keys are the private keys of the listed public keys', () => {
    expect(bytesToHex(aliceIdentity)).toBe(v.private_keys_hex.alice_identity);
    expect(bytesToHex(pub(bobSignedPreKey))).toBe(v.public_keys_compressed_computed.bob_signed_pre_key);
  });

  it('active side gives want_shared_key', () => {
    const sk = x3dhActive(aliceIdentity, pub(bobSignedPreKey), aliceEphemeral, pub(bobIdentity));
    expect(bytesToHex(sk)).toBe(v.want_shared_key);
  });

  it('passive side gives the same want_shared_key', () => {
    const sk = x3dhPassive(pub(aliceIdentity), bobSignedPreKey, pub(aliceEphemeral), bobIdentity);
    expect(bytesToHex(sk)).toBe(v.want_shared_key);
  });

  it('is Keccak-256 over DH1 || DH2 || DH3 in the documented order (computed intermediates)', () => {
    const dh1 = ecdhX(aliceIdentity, pub(bobSignedPreKey));
    const dh2 = ecdhX(aliceEphemeral, pub(bobIdentity));
    const dh3 = ecdhX(aliceEphemeral, pub(bobSignedPreKey));
    expect([bytesToHex(dh1), bytesToHex(dh2), bytesToHex(dh3)]).toEqual([
      v.intermediate_computed.dh1,
      v.intermediate_computed.dh2,
      v.intermediate_computed.dh3,
    ]);
    expect(bytesToHex(keccak256(dh1, dh2, dh3))).toBe(v.want_shared_key);
  });

  it('performActiveX3dh with a random ephemeral key agrees with the passive side', () => {
    const a = generatePrivateKey();
    const b = generatePrivateKey();
    const spk = generatePrivateKey();
    const { sharedKey, ephemeralPublicKey } = performActiveX3dh(pub(b), pub(spk), a);
    expect(ephemeralPublicKey.length).toBe(33);
    expect(x3dhPassive(pub(a), spk, ephemeralPublicKey, b)).toEqual(sharedKey);
  });

  it('rejects an invalid public key with ERR_ST_BAD_KEY', () => {
    const notAPoint = hex(`02${'ff'.repeat(32)}`);
    expect(() => performActiveX3dh(notAPoint, pub(bobSignedPreKey), aliceIdentity)).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.BadKey }),
    );
  });
});
