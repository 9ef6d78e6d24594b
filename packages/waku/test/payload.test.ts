import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  buildEnvelopeData,
  decodePayload,
  decryptAsymmetricPayload,
  decryptSymmetricPayload,
  Envelope,
  encodePayload,
  encryptSymmetricPayload,
  openEnvelope,
  openEnvelopeData,
  PayloadFlag,
  paddingLength,
  sizeFieldLength,
} from '../src/index.js';
import { code } from './helpers/errors.js';

const key = new Uint8Array(32).fill(9);

describe('payload layout (WAKU-19..21)', () => {
  it('writes flags, a little-endian size field, payload, padding and signature', () => {
    const payload = new Uint8Array(300).fill(1);
    const raw = encodePayload({ payload, padding: Uint8Array.of(7, 7) });
    expect(raw[0]).toBe(2); // two-byte size field
    expect([raw[1], raw[2]]).toEqual([300 & 0xff, 300 >> 8]); // little-endian
    expect(raw.length).toBe(1 + 2 + 300 + 2);
    const signer = generatePrivateKey();
    const signed = encodePayload({ payload, signingKey: signer });
    expect(signed[0]! & PayloadFlag.Signed).toBe(PayloadFlag.Signed);
    expect(signed.length % 256).toBe(0);
    const decoded = decodePayload(signed);
    expect(decoded.payload).toEqual(payload);
    expect(decoded.signer).toEqual(getPublicKey(signer));
    expect(decoded.padding.length).toBe(paddingLength(300, true));
  });

  it('sizes the size field like go-ethereum and pads an aligned plaintext by a whole block', () => {
    expect([0, 255, 256, 65535, 65536, 2 ** 24 - 1].map(sizeFieldLength)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(paddingLength(254, false)).toBe(256); // 1 + 1 + 254 = 256 already aligned
    const random = encodePayload({ payload: new Uint8Array(10) });
    expect(random.subarray(12).some((b) => b !== 0)).toBe(true);
  });

  it('accepts a payload with no size field (everything is padding) and refuses truncated ones', () => {
    expect(decodePayload(Uint8Array.of(0, 1, 2))).toMatchObject({
      payload: new Uint8Array(0),
      padding: Uint8Array.of(1, 2),
    });
    expect(code(() => decodePayload(new Uint8Array(0)))).toBe('ERR_WAKU_BAD_PAYLOAD');
    expect(code(() => decodePayload(Uint8Array.of(3, 1)))).toBe('ERR_WAKU_BAD_PAYLOAD'); // size field runs out
    expect(code(() => decodePayload(Uint8Array.of(1, 9, 1, 2)))).toBe('ERR_WAKU_BAD_PAYLOAD'); // payload runs out
    expect(code(() => decodePayload(Uint8Array.of(4, ...new Uint8Array(65))))).toBe('ERR_WAKU_BAD_PAYLOAD'); // no room
    const forged = new Uint8Array(70);
    forged[0] = 4;
    forged.fill(0xff, 5);
    expect(code(() => decodePayload(forged))).toBe('ERR_WAKU_BAD_PAYLOAD'); // signature does not recover
  });
});

describe('payload encryption (WAKU-22)', () => {
  it('round-trips symmetric and asymmetric data and refuses wrong keys', () => {
    const recipient = generatePrivateKey();
    const sym = buildEnvelopeData({ payload: Uint8Array.of(1, 2, 3), symKey: key });
    expect(openEnvelopeData(sym, { symKey: key }).payload).toEqual(Uint8Array.of(1, 2, 3));
    expect(code(() => openEnvelopeData(sym, { symKey: new Uint8Array(32).fill(8) }))).toBe(
      'ERR_WAKU_DECRYPT',
    );
    const asym = buildEnvelopeData({
      payload: Uint8Array.of(4),
      publicKey: getPublicKey(recipient, 'compressed'),
    });
    expect(openEnvelopeData(asym, { privateKey: recipient }).payload).toEqual(Uint8Array.of(4));
    expect(code(() => openEnvelopeData(asym, { privateKey: generatePrivateKey() }))).toBe('ERR_WAKU_DECRYPT');
    expect(code(() => decryptAsymmetricPayload(recipient, new Uint8Array(10)))).toBe('ERR_WAKU_DECRYPT');
    expect(code(() => decryptSymmetricPayload(key, new Uint8Array(10)))).toBe('ERR_WAKU_DECRYPT');
  });

  it('needs exactly one usable key', () => {
    expect(code(() => buildEnvelopeData({ payload: new Uint8Array(1) } as never))).toBe('ERR_WAKU_BAD_KEY');
    expect(
      code(() =>
        buildEnvelopeData({
          payload: new Uint8Array(1),
          symKey: key,
          publicKey: getPublicKey(generatePrivateKey()),
        } as never),
      ),
    ).toBe('ERR_WAKU_BAD_KEY');
    expect(code(() => buildEnvelopeData({ payload: new Uint8Array(1), symKey: new Uint8Array(32) }))).toBe(
      'ERR_WAKU_BAD_KEY',
    );
    expect(
      code(() => buildEnvelopeData({ payload: new Uint8Array(1), symKey: new Uint8Array(16).fill(1) })),
    ).toBe('ERR_WAKU_BAD_KEY');
    expect(code(() => buildEnvelopeData({ payload: new Uint8Array(1), publicKey: new Uint8Array(65) }))).toBe(
      'ERR_WAKU_BAD_KEY',
    );
    expect(code(() => encryptSymmetricPayload(key, new Uint8Array(1), new Uint8Array(8)))).toBe(
      'ERR_WAKU_BAD_KEY',
    );
  });

  it('opens an envelope into a ReceivedMessage', () => {
    const data = buildEnvelopeData({ payload: Uint8Array.of(5), symKey: key });
    const envelope = Envelope.create({ expiry: 100, ttl: 10, topic: Uint8Array.of(1, 1, 1, 1), data });
    const message = openEnvelope(envelope, { symKey: key }, { p2p: true, peerId: new Uint8Array(64) });
    expect(message).toMatchObject({
      ttl: 10,
      expiry: 100,
      sent: 90,
      p2p: true,
      encryption: 'symmetric',
      hashHex: envelope.hashHex,
    });
    expect(message.signer).toBeUndefined();
  });
});
