import { create } from '@bufbuild/protobuf';
import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { CryptoError, generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  BundleSchema,
  bundleSignatureMaterial,
  createBundle,
  decodeProtocolMessage,
  encodeProtocolMessage,
  PROTOCOL_VERSION,
  type SecureTransportError,
  SecureTransportErrorCode,
  signBundle,
  verifyBundle,
} from '../src/index.js';
import { thrown } from './helpers/thrown.js';
import { hex, vectors } from './helpers/vectors.js';

const ex = vectors.bundle_signature.example_computed;

function exampleBundle() {
  return create(BundleSchema, {
    identity: getPublicKey(hex(ex.identity_private_key_hex), 'compressed'),
    signedPreKeys: { [ex.installation_id]: { signedPreKey: hex(ex.signed_pre_key), version: ex.version } },
    timestamp: BigInt(ex.timestamp),
  });
}

describe('bundle signature (secure-transport.json bundle_signature, computed)', () => {
  it('signature material: id || signed prekey || decimal version || decimal timestamp', () => {
    expect(bytesToHex(bundleSignatureMaterial(exampleBundle()))).toBe(ex.material);
  });

  it('RFC 6979 signature over Keccak-256(material) by the identity key', () => {
    const signed = signBundle(exampleBundle(), hex(ex.identity_private_key_hex), BigInt(ex.timestamp));
    expect(bytesToHex(signed.signature)).toBe(ex.signature_rfc6979);
    expect(signed.timestamp).toBe(BigInt(ex.timestamp));
  });

  it('omits a zero timestamp and sorts installation ids by bytes', () => {
    const spkA = getPublicKey(generatePrivateKey(), 'compressed');
    const spkB = getPublicKey(generatePrivateKey(), 'compressed');
    const bundle = create(BundleSchema, {
      identity: spkA,
      signedPreKeys: { b: { signedPreKey: spkB, version: 12 }, B: { signedPreKey: spkA, version: 3 } },
    });
    const want = new Uint8Array([
      ...utf8ToBytes('B'),
      ...spkA,
      ...utf8ToBytes('3'),
      ...utf8ToBytes('b'),
      ...spkB,
      ...utf8ToBytes('12'),
    ]);
    expect(bundleSignatureMaterial(bundle)).toEqual(want);
  });
});

describe('createBundle / verifyBundle', () => {
  const identity = generatePrivateKey();

  it('creates a bundle with one signed prekey that verifies to the identity', () => {
    const { bundle, signedPreKeyPrivate } = createBundle(identity, 'device-1', { timestamp: 5n });
    expect(bundle.timestamp).toBe(5n);
    expect(bundle.signedPreKeys['device-1']!.signedPreKey).toEqual(
      getPublicKey(signedPreKeyPrivate, 'compressed'),
    );
    expect(bundle.signedPreKeys['device-1']!.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(verifyBundle(bundle)).toEqual(getPublicKey(identity, 'compressed'));
  });

  it('survives a ProtocolMessage round trip and still verifies', () => {
    const { bundle } = createBundle(identity, 'device-1');
    const decoded = decodeProtocolMessage(
      encodeProtocolMessage({ installationId: 'device-1', bundles: [bundle] }),
    );
    expect(verifyBundle(decoded.bundles[0]!)).toEqual(getPublicKey(identity, 'compressed'));
  });

  it('rejects a bundle whose prekey, version, timestamp or identity was changed', () => {
    const { bundle } = createBundle(identity, 'device-1', { timestamp: 7n });
    const other = getPublicKey(generatePrivateKey(), 'compressed');
    const variants = [
      { ...bundle, timestamp: 8n },
      { ...bundle, identity: other },
      { ...bundle, signedPreKeys: { 'device-1': { ...bundle.signedPreKeys['device-1']!, version: 1 } } },
      {
        ...bundle,
        signedPreKeys: { 'device-1': { ...bundle.signedPreKeys['device-1']!, signedPreKey: other } },
      },
      { ...bundle, signature: bundle.signature.subarray(0, 64) },
    ];
    for (const variant of variants) {
      expect(() => verifyBundle(variant)).toThrowError(
        expect.objectContaining({ code: SecureTransportErrorCode.BadBundle }),
      );
    }
  });

  it('a malformed shape or an identity off the curve is BadBundle, with the underlying error as cause', () => {
    const { bundle } = createBundle(identity, 'device-1');
    const error = (b: typeof bundle) => {
      try {
        verifyBundle(b);
      } catch (err) {
        return err as SecureTransportError;
      }
      throw new Error('verified a bad bundle');
    };
    const shape = error({ ...bundle, identity: new Uint8Array(32) });
    expect(shape.code).toBe(SecureTransportErrorCode.BadBundle);
    expect(shape.cause).toEqual(expect.objectContaining({ code: SecureTransportErrorCode.BadMessage }));
    // 33 bytes, right prefix, but x >= p: not a point, so the curve code throws a CryptoError.
    const offCurve = error({ ...bundle, identity: new Uint8Array(33).fill(0xff).fill(2, 0, 1) });
    expect(offCurve.code).toBe(SecureTransportErrorCode.BadBundle);
    expect(offCurve.cause).toBeInstanceOf(CryptoError);
  });

  it('a signature of 64 or 66 bytes is refused by its length (no cause); 65 bad bytes by the curve code', () => {
    const { bundle } = createBundle(identity, 'device-1');
    for (const length of [64, 66]) {
      const err = thrown(() => verifyBundle({ ...bundle, signature: new Uint8Array(length).fill(1) }));
      expect(err.code).toBe(SecureTransportErrorCode.BadBundle);
      expect(err.details).toEqual({ length, expected: 65 });
      expect(err.cause).toBeUndefined();
    }
    const garbage = thrown(() => verifyBundle({ ...bundle, signature: new Uint8Array(65).fill(0xff) }));
    expect(garbage.code).toBe(SecureTransportErrorCode.BadBundle);
    expect(garbage.cause).toBeInstanceOf(CryptoError);
  });
});
