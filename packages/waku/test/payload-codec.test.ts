import { generatePrivateKey, getPublicKey, keccak256, sign } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_LENGTH } from '../src/constants.js';
import { Envelope } from '../src/envelope/envelope.js';
import { WakuErrorCode } from '../src/errors.js';
import { decryptAsymmetricPayload, decryptSymmetricPayload } from '../src/payload/encryption.js';
import { buildEnvelopeData, openEnvelope } from '../src/payload/message.js';
import { decodePayload, encodePayload } from '../src/payload/payload.js';
import { code } from './helpers/errors.js';
import { thrown } from './helpers/thrown.js';

const none = new Uint8Array(0);

describe('encodePayload size field and limit', () => {
  it('writes the payload length little-endian in as many bytes as it needs', () => {
    expect(encodePayload({ payload: none, padding: none })).toEqual(Uint8Array.of(1, 0));
    expect(encodePayload({ payload: Uint8Array.of(7), padding: none })).toEqual(Uint8Array.of(1, 1, 7));
    expect(encodePayload({ payload: new Uint8Array(255), padding: none }).subarray(0, 2)).toEqual(
      Uint8Array.of(1, 0xff),
    );
    expect(encodePayload({ payload: new Uint8Array(256), padding: none }).subarray(0, 3)).toEqual(
      Uint8Array.of(2, 0x00, 0x01),
    );
    const big = encodePayload({ payload: new Uint8Array(0x10203).fill(9), padding: Uint8Array.of(5) });
    expect(big.subarray(0, 5)).toEqual(Uint8Array.of(3, 0x03, 0x02, 0x01, 9));
    expect(big.at(-1)).toBe(5);
  });

  it(`accepts a payload of MAX_PAYLOAD_LENGTH (${MAX_PAYLOAD_LENGTH}) bytes and rejects one more`, () => {
    expect(encodePayload({ payload: new Uint8Array(MAX_PAYLOAD_LENGTH), padding: none }).length).toBe(
      4 + MAX_PAYLOAD_LENGTH,
    );
    expect(
      code(() => encodePayload({ payload: new Uint8Array(MAX_PAYLOAD_LENGTH + 1), padding: none })),
    ).toBe(WakuErrorCode.TooLarge);
  });

  it('refuses a payload that is not a Uint8Array, even one with a length', () => {
    for (const payload of [[1, 2, 3], 'abc', { length: 2 }, null]) {
      expect(code(() => encodePayload({ payload: payload as unknown as Uint8Array, padding: none }))).toBe(
        WakuErrorCode.BadPayload,
      );
    }
  });
});

describe('decodePayload bounds', () => {
  it('accepts a lone flags byte without size field and rejects empty input', () => {
    const flagsOnly = decodePayload(Uint8Array.of(0));
    expect(flagsOnly.payload).toEqual(none);
    expect(flagsOnly.padding).toEqual(none);
    expect(Object.hasOwn(flagsOnly, 'signature')).toBe(false);
    expect(Object.hasOwn(flagsOnly, 'signer')).toBe(false);
    expect(code(() => decodePayload(none))).toBe(WakuErrorCode.BadPayload);
    expect(code(() => decodePayload(Uint8Array.of(1)))).toBe(WakuErrorCode.BadPayload);
    expect(code(() => decodePayload(Uint8Array.of(1, 2, 9)))).toBe(WakuErrorCode.BadPayload);
    expect(decodePayload(Uint8Array.of(1, 1, 9)).payload).toEqual(Uint8Array.of(9));
  });

  it('rejects a signed plaintext that is only flags and a valid signature (status-go: end <= 1)', () => {
    const key = generatePrivateKey();
    const flags = Uint8Array.of(0x04);
    const raw = new Uint8Array(66);
    raw.set(flags);
    raw.set(sign(keccak256(flags), key), 1);
    const err = thrown(() => decodePayload(raw));
    expect(err.code).toBe(WakuErrorCode.BadPayload);
    expect(err.cause).toBeUndefined();
  });

  it('keeps the recovery error as cause when a signature does not recover', () => {
    const raw = new Uint8Array(70);
    raw[0] = 0x04;
    const err = thrown(() => decodePayload(raw));
    expect(err.code).toBe(WakuErrorCode.BadPayload);
    expect(err.cause).toBeDefined();
  });

  it('decryption failures keep the cipher error as cause', () => {
    const sym = thrown(() => decryptSymmetricPayload(new Uint8Array(32).fill(3), new Uint8Array(40)));
    expect(sym.code).toBe(WakuErrorCode.Decrypt);
    expect(sym.cause).toBeDefined();
    const asym = thrown(() => decryptAsymmetricPayload(generatePrivateKey(), new Uint8Array(120)));
    expect(asym.code).toBe(WakuErrorCode.Decrypt);
    expect(asym.cause).toBeDefined();
  });
});

describe('openEnvelope', () => {
  const symKey = new Uint8Array(32).fill(3);
  const topic = Uint8Array.of(1, 2, 3, 4);
  const envelopeFor = (data: Uint8Array) => Envelope.create({ expiry: 1_800_000_000, ttl: 50, topic, data });

  it('defaults: envelope pow, not p2p, no signer, signature or peer', () => {
    const envelope = envelopeFor(buildEnvelopeData({ payload: Uint8Array.of(1, 2), symKey }));
    const m = openEnvelope(envelope, { symKey });
    expect(m.payload).toEqual(Uint8Array.of(1, 2));
    expect(m.encryption).toBe('symmetric');
    expect(m.pow).toBe(envelope.pow());
    expect(m.p2p).toBe(false);
    for (const key of ['signer', 'signature', 'peerId']) expect(Object.hasOwn(m, key)).toBe(false);
  });

  it('reports the context pow, p2p and peer, and the signer of a signed asymmetric payload', () => {
    const recipient = generatePrivateKey();
    const signer = generatePrivateKey();
    const data = buildEnvelopeData({
      payload: Uint8Array.of(5),
      publicKey: getPublicKey(recipient),
      signingKey: signer,
    });
    const peerId = new Uint8Array(64).fill(7);
    const m = openEnvelope(envelopeFor(data), { privateKey: recipient }, { pow: 1.5, p2p: true, peerId });
    expect(m.encryption).toBe('asymmetric');
    expect(m.pow).toBe(1.5);
    expect(m.p2p).toBe(true);
    expect(m.peerId).toEqual(peerId);
    expect(m.signer).toEqual(getPublicKey(signer));
    expect(m.signature?.length).toBe(65);
  });
});
