import { bytesToHex } from '@status-ts/core';
import { forceNobleCrypto, keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { powInputPrefix } from '../src/envelope/envelope.js';
import {
  Envelope,
  encodeRlpWithoutNonce,
  leadingZeroBits,
  nonceBytes8,
  powTargetBits,
  sealEnvelope,
  sealEnvelopeSync,
  sealSize,
} from '../src/index.js';

const topic = Uint8Array.of(9, 8, 7, 6);

describe('PoW target (WAKU-10)', () => {
  it('is ceil(log2(pow * size * ttl)), at least 1', () => {
    // 0.002 * 304 * 60 = 36.48 -> log2 = 5.19 -> 6 bits (status-go powToFirstBit)
    expect(powTargetBits(0.002, 304, 60)).toBe(6);
    expect(powTargetBits(0.002, 304, 1)).toBe(1);
    expect(powTargetBits(1, 256, 1)).toBe(8);
    expect(powTargetBits(0, 100, 10)).toBe(1);
  });

  it('seals against the larger of 20 + len(data) and the nonce-less RLP length', () => {
    const small = Envelope.create({ expiry: 100, ttl: 10, topic, data: new Uint8Array(300) });
    expect(sealSize(small)).toBe(320); // 20 + 300 > RLP length 313
    const large = Envelope.create({ expiry: 2 ** 31, ttl: 2 ** 31, topic, data: new Uint8Array(70_000) });
    expect(large.rlpWithoutNonceLength).toBeGreaterThan(large.size);
    expect(sealSize(large)).toBe(large.rlpWithoutNonceLength);
  });
});

describe('PoW input prefix', () => {
  it('followed by the data is RLP([expiry, ttl, topic, data]) (1,000 runs)', () => {
    const uint32 = fc.oneof(
      fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffffffff),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    const data = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 2 }),
      fc.integer({ min: 50, max: 60 }).map((n) => new Uint8Array(n).fill(n)),
      fc.uint8Array({ minLength: 0, maxLength: 300 }),
      fc.constantFrom(70_000).map((n) => new Uint8Array(n)),
    );
    fc.assert(
      fc.property(
        uint32,
        uint32,
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        data,
        (expiry, ttl, topic, data) => {
          const fields = { expiry, ttl, topic, data };
          const prefix = powInputPrefix(fields);
          const rlp = encodeRlpWithoutNonce(fields);
          expect(bytesToHex(prefix)).toBe(bytesToHex(rlp.subarray(0, prefix.length)));
          expect(prefix.length + data.length).toBe(rlp.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('sealEnvelope', () => {
  it('finds the first nonce reaching the target, identical to hashing the whole buffer per attempt', () => {
    const fields = { expiry: 1_000_000, ttl: 10, topic, data: new Uint8Array(500).fill(3) };
    const { envelope, attempts, targetBits } = sealEnvelopeSync(fields, { pow: 0.02 });
    const target = powTargetBits(0.02, 520, 10);
    expect(targetBits).toBe(target);
    // Reference: status-go's loop, hashing rlp || nonce from scratch for each nonce.
    const rlp = Envelope.create(fields).rlpWithoutNonce();
    let nonce = 0n;
    while (leadingZeroBits(keccak256(rlp, nonceBytes8(nonce))) < target) nonce++;
    expect(envelope.nonce).toBe(nonce);
    expect(attempts).toBe(Number(nonce) + 1);
    expect(envelope.pow()).toBeGreaterThanOrEqual(0.02);
  });

  it('builds the same envelope as encoding the fields with the nonce found (1- and 2-byte nonces, long lists)', () => {
    // Sizes around the RLP long-list boundaries (55/56 and 255/256 bytes of items) and a 2-byte length.
    const nonces = new Set<number>();
    for (const size of [1, 30, 31, 40, 200, 240, 300, 70_000]) {
      for (const expiry of [5, 6, 7]) {
        const fields = { expiry, ttl: 60, topic, data: new Uint8Array(size).fill(size & 0xff) };
        const { envelope } = sealEnvelopeSync(fields, { pow: size > 1000 ? 0.0001 : 2 / (size + 20) });
        nonces.add(envelope.nonce < 128n ? 1 : envelope.nonce < 256n ? 2 : 3);
        const reference = Envelope.create({ ...fields, nonce: envelope.nonce });
        expect(bytesToHex(envelope.raw)).toBe(bytesToHex(reference.raw));
        expect(bytesToHex(envelope.data)).toBe(bytesToHex(fields.data));
        // The cached winning hash is the one the checker computes from the bytes.
        expect(bytesToHex(envelope.powHash)).toBe(bytesToHex(Envelope.decode(reference.raw).powHash));
        expect(envelope.pow()).toBe(Envelope.decode(reference.raw).pow());
      }
    }
    expect(nonces.size).toBe(3); // nonce items of one byte, 0x81 xx and 0x82 xx xx were all built
  });

  it('passes the checker whenever it reaches the target', async () => {
    for (const size of [10, 1000, 5000]) {
      const { envelope } = await sealEnvelope(
        { expiry: 10_000, ttl: 17, topic, data: new Uint8Array(size).fill(size) },
        { pow: 0.01 },
      );
      expect(envelope.pow()).toBeGreaterThanOrEqual(0.01);
    }
  });

  it('skips the search for PoW 0 and resets an existing nonce', () => {
    const e = Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(1), nonce: 99 });
    expect(sealEnvelopeSync(e, { pow: 0 })).toMatchObject({ attempts: 0, targetBits: 0 });
    expect(sealEnvelopeSync(e, { pow: 0 }).envelope.nonce).toBe(0n);
  });

  it('fails with ERR_WAKU_LOW_POW when the attempt or time budget runs out', async () => {
    const fields = { expiry: 1, ttl: 1000, topic, data: new Uint8Array(1000) };
    expect(() => sealEnvelopeSync(fields, { pow: 1e9, maxAttempts: 300 })).toThrow(
      expect.objectContaining({
        code: 'ERR_WAKU_LOW_POW',
        details: expect.objectContaining({ attempts: 300 }),
      }),
    );
    await expect(sealEnvelope(fields, { pow: 1e9, timeMs: 20 })).rejects.toMatchObject({
      code: 'ERR_WAKU_LOW_POW',
    });
    expect(() => sealEnvelopeSync(fields, { pow: 1e9, timeMs: 5 })).toThrow(
      expect.objectContaining({ code: 'ERR_WAKU_LOW_POW' }),
    );
  });

  it("stops when its signal aborts, rejecting with the signal's reason", async () => {
    const controller = new AbortController();
    const pending = sealEnvelope(
      { expiry: 1, ttl: 1000, topic, data: new Uint8Array(100) },
      { pow: 1e12, signal: controller.signal },
    );
    const reason = new Error('user closed the chat');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('matches the from-scratch search for any data length (nonce inside or across a Keccak block), on both keccak backends, with recycled hashers', () => {
    const reference = (
      fields: { expiry: number; ttl: number; topic: Uint8Array; data: Uint8Array },
      target: number,
    ) => {
      const rlp = Envelope.create(fields).rlpWithoutNonce();
      let nonce = 0n;
      while (leadingZeroBits(keccak256(rlp, nonceBytes8(nonce))) < target) nonce++;
      return nonce;
    };
    fc.assert(
      fc.property(fc.nat({ max: 700 }), fc.nat({ max: 255 }), fc.boolean(), (length, fill, noble) => {
        const fields = {
          expiry: 1_700_000_000 + length,
          ttl: 10,
          topic,
          data: new Uint8Array(length).fill(fill),
        };
        forceNobleCrypto(noble);
        try {
          const { envelope, targetBits } = sealEnvelopeSync(fields, { pow: 0.005 });
          expect(envelope.nonce).toBe(reference(fields, targetBits));
          expect(bytesToHex(envelope.powHash)).toBe(
            bytesToHex(keccak256(envelope.rlpWithoutNonce(), nonceBytes8(envelope.nonce))),
          );
        } finally {
          forceNobleCrypto(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds the same nonce as hashing the whole input per attempt when the search runs past nonce 256 (its later chunks start on a rewritten nonce)', () => {
    const nonces: bigint[] = [];
    for (let i = 0; i < 6; i++) {
      const fields = { expiry: 1_700_000_000 + i, ttl: 50, topic, data: Uint8Array.of(1, 2, 3) };
      for (const noble of [false, true]) {
        forceNobleCrypto(noble);
        try {
          // 11 target bits: about 2,048 attempts, so most searches run several chunks of 256 nonces.
          const { envelope, targetBits } = sealEnvelopeSync(fields, { pow: 1.5 });
          expect(targetBits).toBe(11);
          const rlp = Envelope.create(fields).rlpWithoutNonce();
          let nonce = 0n;
          while (leadingZeroBits(keccak256(rlp, nonceBytes8(nonce))) < targetBits) nonce++;
          expect(envelope.nonce).toBe(nonce);
          expect(bytesToHex(envelope.powHash)).toBe(bytesToHex(keccak256(rlp, nonceBytes8(nonce))));
          nonces.push(nonce);
        } finally {
          forceNobleCrypto(false);
        }
      }
    }
    expect(nonces.filter((n) => n > 256n).length).toBeGreaterThanOrEqual(3);
  });

  it('concurrent async seals (each yielding mid-search) and an aborted one do not disturb each other', async () => {
    const fieldsOf = (i: number) => ({
      expiry: 1_800_000_000 + i,
      ttl: 100,
      topic,
      data: new Uint8Array(200 + i).fill(i),
    });
    const sequential = [0, 1, 2, 3].map(
      (i) => sealEnvelopeSync(fieldsOf(i), { pow: 0.05, timeMs: 60_000 }).envelope,
    );
    const controller = new AbortController();
    const aborted = sealEnvelope(fieldsOf(9), { pow: 1e12, signal: controller.signal });
    const concurrent = Promise.all(
      [0, 1, 2, 3].map((i) => sealEnvelope(fieldsOf(i), { pow: 0.05, timeMs: 60_000 })),
    );
    setTimeout(() => controller.abort(), 5);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const results = await concurrent;
    expect(results.map((r) => bytesToHex(r.envelope.raw))).toEqual(sequential.map((e) => bytesToHex(e.raw)));
    // The hashers the aborted search held went back to the spares and still work.
    expect(bytesToHex(sealEnvelopeSync(fieldsOf(0), { pow: 0.05, timeMs: 60_000 }).envelope.raw)).toBe(
      bytesToHex(sequential[0]!.raw),
    );
  });

  it('refuses a negative or non-finite PoW target', () => {
    for (const pow of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sealEnvelopeSync({ expiry: 1, ttl: 1, topic, data: new Uint8Array(1) }, { pow })).toThrow(
        expect.objectContaining({ code: 'ERR_WAKU_INVALID_OPTIONS' }),
      );
    }
  });
});
