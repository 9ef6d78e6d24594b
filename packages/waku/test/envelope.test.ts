import { bytesToHex, hexToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelopeList,
  decodeEnvelopesOrSingle,
  Envelope,
  encodeEnvelopeList,
  envelopeListOverhead,
  leadingZeroBits,
  nonceBytes8,
} from '../src/index.js';
import { code } from './helpers/errors.js';

const topic = Uint8Array.of(1, 2, 3, 4);

describe('Envelope codec (WAKU-07)', () => {
  it('round-trips fields with minimal integers and keeps the received bytes for the hash', () => {
    const e = Envelope.create({
      expiry: 0xffffffff,
      ttl: 300,
      topic,
      data: new Uint8Array(70),
      nonce: (1n << 64n) - 1n,
    });
    const d = Envelope.decode(e.raw);
    expect([d.expiry, d.ttl, d.nonce]).toEqual([0xffffffff, 300, (1n << 64n) - 1n]);
    expect(d.hash).toEqual(keccak256(e.raw));
    expect(d.raw).toBe(e.raw);
    expect(Envelope.create({ expiry: 0, ttl: 0, topic, data: new Uint8Array(0) }).raw).toEqual(
      hexToBytes('c9808084010203048080'),
    );
  });

  it('rejects every malformed shape with ERR_WAKU_BAD_ENVELOPE', () => {
    const cases: Uint8Array[] = [
      rlpEncode([1, 2, topic, new Uint8Array(1)]), // four items
      rlpEncode([1, 2, topic, new Uint8Array(1), 0, 0]), // six items
      rlpEncode([2 ** 32, 2, topic, new Uint8Array(1), 0]), // expiry wider than 4 bytes
      rlpEncode([1, 2 ** 32, topic, new Uint8Array(1), 0]), // ttl wider than 4 bytes
      rlpEncode([1, 2, topic, new Uint8Array(1), 1n << 64n]), // nonce wider than 8 bytes
      rlpEncode([1, 2, Uint8Array.of(1, 2, 3), new Uint8Array(1), 0]), // 3-byte topic
      rlpEncode([1, 2, topic, [], 0]), // data is a list
      rlpEncode([[1], 2, topic, new Uint8Array(1), 0]), // expiry is a list
      rlpEncode([Uint8Array.of(0, 1), 2, topic, new Uint8Array(1), 0]), // leading zero integer
      rlpEncode([1, 2, topic, new Uint8Array(1), Uint8Array.of(0, 5)]), // leading zero nonce
      rlpEncode(topic), // not a list
      Uint8Array.of(...rlpEncode([1, 2, topic, new Uint8Array(1), 0]), 0), // trailing byte
      rlpEncode([1, 2, topic, new Uint8Array(1), 0]).subarray(0, 8), // truncated
      Uint8Array.of(0xc6, 0x81, 0x01, 0x02, 0x84, 1, 2, 3, 4).subarray(0, 7), // non-canonical wrapped byte
      new Uint8Array(0),
    ];
    for (const raw of cases) expect(code(() => Envelope.decode(raw))).toBe('ERR_WAKU_BAD_ENVELOPE');
  });

  it('refuses out-of-range fields when creating', () => {
    expect(code(() => Envelope.create({ expiry: -1, ttl: 1, topic, data: new Uint8Array(0) }))).toBe(
      'ERR_WAKU_BAD_ENVELOPE',
    );
    expect(code(() => Envelope.create({ expiry: 1.5, ttl: 1, topic, data: new Uint8Array(0) }))).toBe(
      'ERR_WAKU_BAD_ENVELOPE',
    );
    expect(
      code(() => Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(0), nonce: -1n })),
    ).toBe('ERR_WAKU_BAD_ENVELOPE');
    expect(
      code(() => Envelope.create({ expiry: 1, ttl: 1, topic: new Uint8Array(5), data: new Uint8Array(0) })),
    ).toBe('ERR_WAKU_BAD_TOPIC');
  });

  it('computes size, sent time (uint32 wrap-around) and the nonce-less RLP', () => {
    const e = Envelope.create({ expiry: 5, ttl: 10, topic, data: new Uint8Array(100), nonce: 258 });
    expect(e.size).toBe(120);
    expect(e.sent).toBe(0xffffffff - 4);
    expect(e.rlpWithoutNonce()).toEqual(rlpEncode([5, 10, topic, new Uint8Array(100)]));
    expect(e.rlpWithoutNonceLength).toBe(e.rlpWithoutNonce().length);
    expect(e.powHash).toEqual(keccak256(e.rlpWithoutNonce(), nonceBytes8(258n)));
    expect(e.withNonce(7).nonce).toBe(7n);
    expect(e.toJSON()).toMatchObject({ expiry: 5, ttl: 10, topic: '0x01020304', nonce: '258' });
  });

  it('hashes the PoW input of envelopes of any size the same as the definition (shared scratch buffer)', () => {
    for (const size of [0, 55, 56, 300, 5000, 70_000, 10]) {
      const e = Envelope.decode(
        Envelope.create({
          expiry: 1e9,
          ttl: 2 ** 30,
          topic,
          data: new Uint8Array(size).fill(size & 0xff),
          nonce: 1n << 63n,
        }).raw,
      );
      expect(e.powHash).toEqual(keccak256(e.rlpWithoutNonce(), nonceBytes8(1n << 63n)));
      expect(e.powInput()).toEqual(Uint8Array.from([...e.rlpWithoutNonce(), ...nonceBytes8(1n << 63n)]));
    }
  });

  it('compacts a view into its own buffer, keeping the cached hashes', () => {
    const e = Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(10) });
    expect(e.compact()).toBe(e);
    const [view] = decodeEnvelopeList(encodeEnvelopeList([e, e]));
    const hash = view!.powHash;
    const copy = view!.compact();
    expect(copy).not.toBe(view);
    expect(copy.raw).toEqual(e.raw);
    expect(copy.raw.buffer.byteLength).toBe(e.raw.length);
    expect(copy.powHash).toBe(hash);
  });

  it('gives PoW 0 when TTL plus the allowance is 0', () => {
    expect(Envelope.create({ expiry: 5, ttl: 0, topic, data: new Uint8Array(1) }).pow()).toBe(0);
  });

  it('counts leading zero bits', () => {
    expect(leadingZeroBits(hexToBytes('80'))).toBe(0);
    expect(leadingZeroBits(hexToBytes('0001'))).toBe(15);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });
});

describe('envelope lists', () => {
  it('encodes lists by embedding envelope bytes, decodes them as views', () => {
    const es = [1, 2, 3].map((n) =>
      Envelope.create({ expiry: n, ttl: 1, topic, data: new Uint8Array(n * 30) }),
    );
    const packet = encodeEnvelopeList(es);
    const back = decodeEnvelopeList(packet);
    expect(back.map((e) => e.hashHex)).toEqual(es.map((e) => e.hashHex));
    expect(back[0]!.raw.buffer).toBe(packet.buffer);
    expect(packet.length - es.reduce((n, e) => n + e.raw.length, 0)).toBe(
      envelopeListOverhead(packet.length - 3),
    );
    expect(decodeEnvelopeList(encodeEnvelopeList([]))).toEqual([]);
  });

  it('rejects malformed lists with ERR_WAKU_BAD_PACKET', () => {
    const e = Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(1) });
    expect(code(() => decodeEnvelopeList(e.raw.subarray(1)))).toBe('ERR_WAKU_BAD_PACKET');
    expect(code(() => decodeEnvelopeList(rlpEncode(new Uint8Array(3))))).toBe('ERR_WAKU_BAD_PACKET');
    expect(code(() => decodeEnvelopeList(Uint8Array.of(...encodeEnvelopeList([e]), 1)))).toBe(
      'ERR_WAKU_BAD_PACKET',
    );
    expect(code(() => decodeEnvelopeList(rlpEncode([[1, 2]])))).toBe('ERR_WAKU_BAD_ENVELOPE');
  });

  it('accepts a P2P message as a list or as one envelope', () => {
    const e = Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(1) });
    expect(decodeEnvelopesOrSingle(e.raw).map((x) => bytesToHex(x.raw))).toEqual([bytesToHex(e.raw)]);
    expect(decodeEnvelopesOrSingle(encodeEnvelopeList([e, e]))).toHaveLength(2);
    expect(decodeEnvelopesOrSingle(encodeEnvelopeList([]))).toEqual([]);
    expect(code(() => decodeEnvelopesOrSingle(Uint8Array.of(0xc3, 0x81)))).toBe('ERR_WAKU_BAD_PACKET');
  });
});
