import { base58 } from '@scure/base';
import { bytesToHex, hexToBytes, isStatusTsError } from '@status-ts/core';
import { convertPublicKey, getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressPublicKeyText,
  decompressPublicKeyText,
  IdentityErrorCode,
  MAX_KEY_TEXT_LENGTH,
  type MultibaseEncoding,
  parsePublicKey,
  publicKeyToHex,
  publicKeyToMultibase,
  shortenCompressedKey,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

const keys = loadVectors('status-go.json').compressedKeys;
const mf = keys.multiformat;
const specKey = hexToBytes(mf.publicKey);

describe('status-go api/multiformat and the account spec example', () => {
  it('compresses the uncompressed base16 multicodec key to zQ3shPyZ… (TestSerialisePublicKey)', () => {
    expect(compressPublicKeyText(mf.uncompressedBase16)).toBe(mf.compressedBase58btc);
    expect(compressPublicKeyText(mf.uncompressedBase16, 'f')).toBe(mf.compressedBase16);
  });

  it('reads the compressed key in z, f and 0x forms (TestDeserialisePublicKey)', () => {
    for (const text of [mf.compressedBase58btc, mf.compressedBase16, mf.compressedHex0x]) {
      expect(parsePublicKey(text)).toEqual(specKey);
      expect(publicKeyToMultibase(parsePublicKey(text), { encoding: 'f', form: 'uncompressed' })).toBe(
        mf.uncompressedBase16,
      );
    }
  });

  it('writes the spec key in the forms of the spec', () => {
    expect(publicKeyToHex(specKey)).toBe(mf.publicKey);
    expect(publicKeyToMultibase(specKey)).toBe(mf.compressedBase58btc);
    expect(publicKeyToMultibase(specKey, { encoding: 'f' })).toBe(mf.compressedBase16);
  });

  it('SerializeLegacyKey: 0x04… -> zQ3shudJ… (TestSerializeLegacyKey)', () => {
    expect(compressPublicKeyText(keys.legacy.publicKey)).toBe(keys.legacy.compressed);
    expect(decompressPublicKeyText(keys.legacy.compressed)).toBe(keys.legacy.publicKey);
    expect(thrown(() => compressPublicKeyText(keys.legacy.publicKey.slice(3))).code).toBe(
      IdentityErrorCode.InvalidKeyText,
    );
  });

  it('shortened compressed key zQ3shviW…k2bWB (alias TestGenerateFromPublicKeyString at head)', () => {
    const v = keys.shortened;
    expect(shortenCompressedKey(compressPublicKeyText(v.publicKey))).toBe(v.shortened);
    expect(shortenCompressedKey(compressPublicKeyText(v.publicKey.slice(2)))).toBe(v.shortened);
    for (const bad of v.rejected as string[]) {
      expect(thrown(() => compressPublicKeyText(bad)).code).toBe(IdentityErrorCode.InvalidKeyText);
    }
    expect(shortenCompressedKey('zQ3short')).toBe('zQ3short');
  });

  it.each(mf.rejected as { text: string; why: string }[])('refuses $why', ({ text }) => {
    const err = thrown(() => parsePublicKey(text));
    expect([IdentityErrorCode.InvalidKeyText, IdentityErrorCode.UnsupportedKeyType]).toContain(err.code);
  });

  it('reports the type of a real key of another kind (BLS12-381) as unsupported', () => {
    const bls = thrown(() =>
      parsePublicKey('z3tEFUdV4D3tCMG6Fr1deVvt32DCS1Y4SxDGoELedXaMUdTdr5FfZvBnbK9bWMhAGj3RHk'),
    );
    expect(bls.code).toBe(IdentityErrorCode.UnsupportedKeyType);
    expect(bls.details.keyType).toBe(0xea);
    expect(bls.message).toBe(
      'unsupported key type bls12_381-g1-pub (multicodec 0xea): only secp256k1 keys are read',
    );
  });

  it('says text that decodes to no key type is not a valid key, naming its encoding and the text', () => {
    const garbage = thrown(() => parsePublicKey('zQ3garbage'));
    expect(garbage.code).toBe(IdentityErrorCode.InvalidKeyText);
    expect(garbage.message).toBe(
      "base58btc text 'zQ3garbage' is not a valid key: it starts with multicodec 0xa, which is no public key type (want 0xe7, secp256k1-pub)",
    );
    expect(garbage.details.multicodec).toBe(0xa);
    expect(thrown(() => parsePublicKey('0xeeff42ea')).message).toBe(
      "hex text '0xeeff42ea' is not a valid key: it starts with multicodec 0x10bfee, which is no public key type (want 0xe7, secp256k1-pub)",
    );
    expect(thrown(() => parsePublicKey('z0OIl')).message).toMatch(
      /^base58btc text 'z0OIl' is not a valid key: not valid base58btc$/,
    );
    const short = `z${base58.encode(Uint8Array.of(0xe7, 0x01, ...specKey.subarray(0, 40)))}`;
    expect(thrown(() => parsePublicKey(short)).message).toMatch(
      /^base58btc text 'z.*' is not a valid key: a secp256k1 key is 33 or 65 bytes, got 40$/,
    );
    expect(thrown(() => parsePublicKey('Qm123')).message).toBe(
      "key text 'Qm123' is neither a hex key (0x04…, 0x02…/0x03…) nor multibase: 'Q' is no supported multibase prefix",
    );
    expect(thrown(() => parsePublicKey(`0x04${'ab'.repeat(10)}`)).message).toBe(
      'hex public key must be 33 (02/03…) or 65 (04…) bytes, got 11',
    );
    expect(thrown(() => parsePublicKey(`0x04${'00'.repeat(64)}`)).message).toMatch(
      /^hex text '0x0400.*…' is not a valid key: not a point on secp256k1$/,
    );
  });
});

describe('plain hex keys', () => {
  const compressed = convertPublicKey(specKey, 'compressed');

  it('reads 0x04…, 0x02…/0x03…, with or without 0x', () => {
    expect(parsePublicKey(mf.publicKey)).toEqual(specKey);
    expect(parsePublicKey(mf.publicKey.slice(2))).toEqual(specKey);
    expect(parsePublicKey(publicKeyToHex(specKey, 'compressed'))).toEqual(specKey);
    expect(parsePublicKey(bytesToHex(compressed))).toEqual(specKey);
    expect(publicKeyToHex(compressed)).toBe(mf.publicKey);
  });

  it('refuses points off the curve and other lengths', () => {
    const offCurve = `0x04${'00'.repeat(64)}`;
    expect(thrown(() => parsePublicKey(offCurve)).code).toBe(IdentityErrorCode.InvalidKeyText);
    expect(thrown(() => parsePublicKey(`0x${bytesToHex(specKey.subarray(1))}`)).code).toMatch(
      /^ERR_IDENTITY_/,
    );
    const wrongLength = `z${base58.encode(Uint8Array.of(0xe7, 0x01, ...specKey.subarray(0, 40)))}`;
    expect(thrown(() => parsePublicKey(wrongLength)).code).toBe(IdentityErrorCode.InvalidKeyText);
  });

  it(`refuses text longer than MAX_KEY_TEXT_LENGTH (${MAX_KEY_TEXT_LENGTH}), overridable`, () => {
    const padded = `f${'e701'}${bytesToHex(specKey)}`;
    expect(padded.length).toBeLessThanOrEqual(MAX_KEY_TEXT_LENGTH);
    const long = `z${'1'.repeat(MAX_KEY_TEXT_LENGTH)}`;
    expect(thrown(() => parsePublicKey(long)).message).toMatch(/longer than/);
    expect(thrown(() => parsePublicKey(padded, { maxLength: 100 })).message).toMatch(/longer than/);
    expect(parsePublicKey(padded, { maxLength: padded.length })).toEqual(specKey);
  });

  it('refuses empty and non-string input', () => {
    expect(thrown(() => parsePublicKey('')).code).toBe(IdentityErrorCode.InvalidKeyText);
    expect(thrown(() => parsePublicKey(undefined as unknown as string)).code).toBe(
      IdentityErrorCode.InvalidKeyText,
    );
  });

  it('refuses a non-minimal multicodec varint (e7 81 00)', () => {
    expect(thrown(() => parsePublicKey(`fe78100${bytesToHex(compressed)}`)).code).toBe(
      IdentityErrorCode.InvalidKeyText,
    );
  });
});

const ENCODINGS: MultibaseEncoding[] = ['z', 'f', 'F', 'b', 'B', 'm', 'M', 'u', 'U'];

describe('properties (1,000 runs each)', () => {
  const privateKey = fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .filter((k) => k.some((b) => b !== 0) && k[0]! < 0xff);

  it('every text form round trips to the same key', () => {
    fc.assert(
      fc.property(
        privateKey,
        fc.constantFrom(...ENCODINGS),
        fc.constantFrom('compressed', 'uncompressed') as fc.Arbitrary<'compressed' | 'uncompressed'>,
        (secret, encoding, form) => {
          const key = getPublicKey(secret);
          const text = publicKeyToMultibase(key, { encoding, form });
          expect(text[0]).toBe(encoding);
          expect(parsePublicKey(text)).toEqual(key);
          expect(parsePublicKey(publicKeyToHex(key, form))).toEqual(key);
          expect(decompressPublicKeyText(compressPublicKeyText(text))).toBe(publicKeyToHex(key));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('compressed base58btc keys all start with zQ3sh and are 49 characters long', () => {
    fc.assert(
      fc.property(privateKey, (secret) => {
        const text = publicKeyToMultibase(getPublicKey(secret));
        expect(text).toMatch(/^zQ3sh[1-9A-HJ-NP-Za-km-z]{44}$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings throw only IdentityError', () => {
    const prefixed = fc
      .tuple(
        fc.constantFrom('z', 'f', 'F', 'b', 'm', 'u', 'U', 'M', 'B', '0x', 'fe701', 'zQ3sh', '04', ''),
        fc.string(),
      )
      .map(([p, s]) => p + s);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), prefixed), (text) => {
        try {
          parsePublicKey(text);
        } catch (err) {
          expect(isStatusTsError(err)).toBe(true);
          expect([IdentityErrorCode.InvalidKeyText, IdentityErrorCode.UnsupportedKeyType]).toContain(
            (err as { code: string }).code,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes under e7 01 throw only IdentityError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 30, maxLength: 70 }),
        fc.constantFrom(...ENCODINGS),
        (bytes, enc) => {
          const body = Uint8Array.of(0xe7, 0x01, ...bytes);
          const text = enc === 'z' ? `z${base58.encode(body)}` : `f${bytesToHex(body)}`;
          try {
            expect(parsePublicKey(text)).toHaveLength(65);
          } catch (err) {
            expect(isStatusTsError(err, IdentityErrorCode.InvalidKeyText)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
