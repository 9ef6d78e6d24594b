import { keccak256 } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  Envelope,
  encodeRlpWithoutNonce,
  leadingZeroBits,
  nonceBytes8,
  powInputPrefix,
} from '../src/envelope/envelope.js';
import { WakuErrorCode } from '../src/errors.js';
import { code } from './helpers/errors.js';
import { thrown } from './helpers/thrown.js';

const BAD = WakuErrorCode.BadEnvelope;
const fields = {
  expiry: 1_800_000_000,
  ttl: 50,
  topic: Uint8Array.of(1, 2, 3, 4),
  data: Uint8Array.of(9, 8, 7),
};

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('Envelope.create field guards', () => {
  it('accepts expiry and TTL up to 2^32 - 1 and rejects 2^32', () => {
    expect(Envelope.create({ ...fields, expiry: 2 ** 32 - 1, ttl: 2 ** 32 - 1 }).ttl).toBe(2 ** 32 - 1);
    expect(code(() => Envelope.create({ ...fields, expiry: 2 ** 32 }))).toBe(BAD);
    expect(code(() => Envelope.create({ ...fields, ttl: 2 ** 32 }))).toBe(BAD);
    expect(code(() => Envelope.create({ ...fields, ttl: -1 }))).toBe(BAD);
    expect(code(() => Envelope.create({ ...fields, ttl: '5' as unknown as number }))).toBe(BAD);
  });

  it('accepts nonces up to 2^64 - 1 and rejects unsafe, fractional, negative, too wide or non-numeric ones', () => {
    expect(Envelope.create({ ...fields, nonce: 2n ** 64n - 1n }).nonce).toBe(2n ** 64n - 1n);
    expect(Envelope.create({ ...fields, nonce: 2 ** 53 - 1 }).nonce).toBe(2n ** 53n - 1n);
    for (const nonce of [2 ** 53, 1.5, -1, -1n, 2n ** 64n, '5' as unknown as bigint]) {
      expect(code(() => Envelope.create({ ...fields, nonce }))).toBe(BAD);
    }
  });

  it('keeps the nonce item apart from the data for nonces around the one-byte boundary', () => {
    const rlp = encodeRlpWithoutNonce(fields);
    for (const nonce of [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 2n ** 64n - 1n]) {
      const e = Envelope.create({ ...fields, nonce });
      expect(e.rlpWithoutNonce()).toEqual(rlp);
      expect(e.rlpWithoutNonceLength).toBe(rlp.length);
      expect(e.powInput()).toEqual(concat(rlp, nonceBytes8(nonce)));
      expect(e.powHash).toEqual(keccak256(concat(rlp, nonceBytes8(nonce))));
    }
  });

  it('copies the topic, so changing the caller array later does not change the envelope', () => {
    const topic = Uint8Array.of(1, 2, 3, 4);
    const created = Envelope.create({ ...fields, topic });
    const sealed = Envelope.fromSeal(
      { ...fields, topic },
      powInputPrefix({ ...fields, topic }),
      0,
      new Uint8Array(32),
    );
    topic[0] = 0xff;
    expect(created.topic).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(sealed.topic).toEqual(Uint8Array.of(1, 2, 3, 4));
  });
});

describe('powInputPrefix and Envelope.fromSeal', () => {
  const shapes = [
    { ...fields, data: new Uint8Array(0) },
    { ...fields, data: Uint8Array.of(0x05) },
    { ...fields, data: Uint8Array.of(0x90) },
    { ...fields, expiry: 0, ttl: 0, data: new Uint8Array(55).fill(1) },
    { ...fields, expiry: 0x7f, ttl: 0x80, data: new Uint8Array(56).fill(2) },
    { ...fields, expiry: 1, ttl: 0xffffff, data: new Uint8Array(300).fill(3) },
  ];

  it('prefix followed by the data is RLP([expiry, ttl, topic, data]) for every header size', () => {
    for (const f of shapes) expect(concat(powInputPrefix(f), f.data)).toEqual(encodeRlpWithoutNonce(f));
  });

  it('writes the same bytes as create for nonces around 0x80', () => {
    for (const f of shapes) {
      for (const nonce of [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffffffff, 2 ** 40 + 3]) {
        const sealed = Envelope.fromSeal(f, powInputPrefix(f), nonce, new Uint8Array(32));
        const created = Envelope.create({ ...f, nonce });
        expect(sealed.raw).toEqual(created.raw);
        expect(sealed.nonce).toBe(BigInt(nonce));
        expect(sealed.data).toEqual(f.data);
      }
    }
  });
});

describe('Envelope.decode strictness', () => {
  const good = Envelope.create({ ...fields, nonce: 300n }).raw;

  it('rejects a byte string whose content would be five valid items (the outer item must be a list)', () => {
    expect(good[0]).toBeLessThan(0xf8);
    const asString = good.slice();
    asString[0] = 0x80 + (good[0]! - 0xc0);
    expect(code(() => Envelope.decode(asString))).toBe(BAD);
    expect(Envelope.decode(good.slice()).nonce).toBe(300n);
  });

  it('rejects a nonce that is a list', () => {
    const raw = rlpEncode([fields.expiry, fields.ttl, fields.topic, fields.data, []]);
    expect(code(() => Envelope.decode(raw))).toBe(BAD);
  });

  it('rejects integers with leading zero bytes and reads empty ones as 0', () => {
    const items = (expiry: Uint8Array, ttl: Uint8Array, nonce: Uint8Array) =>
      rlpEncode([expiry, ttl, fields.topic, fields.data, nonce]);
    const e = new Uint8Array(0);
    const ok = Envelope.decode(items(e, e, e));
    expect([ok.expiry, ok.ttl, ok.nonce]).toEqual([0, 0, 0n]);
    for (const bad of [Uint8Array.of(0), Uint8Array.of(0, 1)]) {
      expect(code(() => Envelope.decode(items(bad, e, e)))).toBe(BAD);
      expect(code(() => Envelope.decode(items(e, bad, e)))).toBe(BAD);
      expect(code(() => Envelope.decode(items(e, e, bad)))).toBe(BAD);
    }
    const one = Envelope.decode(items(Uint8Array.of(1), Uint8Array.of(1, 0), Uint8Array.of(2, 0, 0)));
    expect([one.expiry, one.ttl, one.nonce]).toEqual([1, 256, 0x20000n]);
  });

  it('typed rejections carry no cause; RLP that does not parse keeps the RLP error as cause', () => {
    const four = rlpEncode([fields.expiry, fields.ttl, fields.topic, fields.data]);
    const missing = thrown(() => Envelope.decode(four));
    expect(missing.code).toBe(BAD);
    expect(missing.cause).toBeUndefined();
    const notBytes = thrown(() => Envelope.decode(null as unknown as Uint8Array));
    expect(notBytes.code).toBe(BAD);
    expect(notBytes.cause).toBeUndefined();
    const truncated = thrown(() => Envelope.decode(Uint8Array.of(0xc5, 0x01)));
    expect(truncated.code).toBe(BAD);
    expect(truncated.cause).toBeInstanceOf(Error);
  });
});

describe('Envelope errors name the field', () => {
  const e = new Uint8Array(0);
  const field = (fn: () => unknown) => {
    const err = thrown(fn);
    expect(err.code).toBe(BAD);
    return err.details?.field;
  };

  it('decode names the missing, mistyped, too wide or non-canonical item', () => {
    const items = (...xs: Array<Uint8Array | Uint8Array[]>) => rlpEncode(xs);
    const { topic, data } = fields;
    expect(field(() => Envelope.decode(items()))).toBe('expiry');
    expect(field(() => Envelope.decode(items(e)))).toBe('ttl');
    expect(field(() => Envelope.decode(items(e, e)))).toBe('topic');
    expect(field(() => Envelope.decode(items(e, e, topic)))).toBe('data');
    expect(field(() => Envelope.decode(items(e, e, topic, data)))).toBe('nonce');
    expect(field(() => Envelope.decode(items([], e, topic, data, e)))).toBe('expiry');
    expect(field(() => Envelope.decode(items(e, new Uint8Array(5).fill(1), topic, data, e)))).toBe('ttl');
    expect(field(() => Envelope.decode(items(e, Uint8Array.of(0, 1), topic, data, e)))).toBe('ttl');
    expect(field(() => Envelope.decode(items(e, e, Uint8Array.of(1, 2, 3), data, e)))).toBe('topic');
    expect(field(() => Envelope.decode(items(e, e, topic, [], e)))).toBe('data');
    expect(field(() => Envelope.decode(items(e, e, topic, data, [])))).toBe('nonce');
    expect(field(() => Envelope.decode(items(e, e, topic, data, new Uint8Array(9).fill(1))))).toBe('nonce');
    expect(field(() => Envelope.decode(items(e, e, topic, data, Uint8Array.of(0))))).toBe('nonce');
  });

  it('errors about the envelope as a whole have no details', () => {
    const whole = [
      rlpEncode([e, e, fields.topic, fields.data, e, e]),
      rlpEncode(e),
      Uint8Array.of(0xc5, 0x01),
    ];
    for (const raw of whole) {
      const err = thrown(() => Envelope.decode(raw));
      expect(err.code).toBe(BAD);
      expect(err.details).toBeUndefined();
    }
  });

  it('create, encodeRlpWithoutNonce and powInputPrefix refuse data that is not a Uint8Array', () => {
    const notBytes = { ...fields, data: [9, 8, 7] as unknown as Uint8Array };
    expect(field(() => Envelope.create(notBytes))).toBe('data');
    expect(field(() => encodeRlpWithoutNonce(notBytes))).toBe('data');
    expect(field(() => powInputPrefix({ ...fields, data: 'abc' as unknown as Uint8Array }))).toBe('data');
    expect(field(() => Envelope.create({ ...fields, ttl: -1 }))).toBe('ttl');
    expect(field(() => Envelope.create({ ...fields, expiry: 2 ** 32 }))).toBe('expiry');
    expect(field(() => Envelope.create({ ...fields, nonce: -1n }))).toBe('nonce');
  });
});

describe('Envelope derived values', () => {
  it('pow(extraTtl) divides by ttl + extraTtl', () => {
    const e = Envelope.create({ ...fields, nonce: 7n });
    const base = 2 ** e.leadingZeroBits / e.rlpWithoutNonceLength;
    expect(e.pow()).toBe(base / 50);
    expect(e.pow(5)).toBe(base / 55);
    expect(e.leadingZeroBits).toBe(leadingZeroBits(e.powHash));
    expect(e.leadingZeroBits).toBe(leadingZeroBits(e.powHash));
  });

  it('compact copies a view that starts at offset 0 but is shorter than its buffer, and keeps a whole buffer', () => {
    const e = Envelope.create(fields);
    const buffer = new Uint8Array(e.raw.length + 10);
    buffer.set(e.raw);
    const view = Envelope.decode(buffer.subarray(0, e.raw.length));
    const copy = view.compact();
    expect(copy).not.toBe(view);
    expect(copy.raw.buffer.byteLength).toBe(e.raw.length);
    expect(copy.raw).toEqual(e.raw);
    const whole = Envelope.decode(e.raw.slice());
    expect(whole.compact()).toBe(whole);
  });

  it('toJSON gives 0x hex for topic, data and hash and the nonce in decimal', () => {
    const e = Envelope.create({ ...fields, nonce: 258n });
    expect(e.toJSON()).toEqual({
      expiry: 1_800_000_000,
      ttl: 50,
      topic: '0x01020304',
      data: '0x090807',
      nonce: '258',
      hash: `0x${e.hashHex}`,
    });
    expect(e.hashHex).toMatch(/^[0-9a-f]{64}$/);
  });
});
