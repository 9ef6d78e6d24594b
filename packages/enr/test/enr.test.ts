import { bytesToHex, hexToBytes, ManualClock, StatusTsError, utf8ToBytes } from '@status-ts/core';
import { getPublicKey, keccak256, signCompact } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64UrlEncode,
  ENR_MAX_SEQ,
  ENR_MAX_SIZE,
  Enr,
  LocalRecord,
  type RlpInput,
  type RlpItem,
  rlpDecode,
  rlpEncode,
} from '../src/index.js';

const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const otherKey = hexToBytes('45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8');
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof StatusTsError)) throw err;
    return err.code;
  }
  throw new Error('expected a StatusTsError');
}

/** Signs arbitrary (possibly invalid) pairs the way a v4 signer would, to build hostile records. */
function signRaw(seq: RlpInput, pairs: RlpInput[], privateKey = key): Uint8Array {
  const signature = signCompact(keccak256(rlpEncode([seq, ...pairs])), privateKey);
  return rlpEncode([signature, seq, ...pairs]);
}

const v4Pairs = (): RlpInput[] => ['id', 'v4', 'secp256k1', getPublicKey(key, 'compressed')];

describe('Enr.create and getters', () => {
  it('sets every predefined key and reads it back typed', () => {
    const enr = Enr.create({
      privateKey: key,
      seq: 7,
      ip: '10.0.0.1',
      tcp: 30303,
      udp: 30301,
      ip6: '2001:db8::1',
      tcp6: 443,
      udp6: 0,
    });
    expect(enr.seq).toBe(7n);
    expect(enr.ip).toBe('10.0.0.1');
    expect(enr.tcp).toBe(30303);
    expect(enr.udp).toBe(30301);
    expect(enr.ip6).toBe('2001:db8::1');
    expect(enr.tcp6).toBe(443);
    expect(enr.udp6).toBe(0);
    expect(enr.getBytes('udp6')).toEqual(new Uint8Array()); // port 0 is the empty string
    expect(enr.getBytes('tcp')).toEqual(hexToBytes('765f'));
    expect(enr.keys()).toEqual(['id', 'ip', 'ip6', 'secp256k1', 'tcp', 'tcp6', 'udp', 'udp6']);
    expect(enr.publicKey).toEqual(getPublicKey(key, 'compressed'));
    expect(enr.rawPublicKey).toEqual(getPublicKey(key, 'raw'));
    expect(enr.nodeId).toEqual(keccak256(getPublicKey(key, 'raw')));
    expect(enr.nodeIdHex).toBe(bytesToHex(enr.nodeId));
    expect(enr.verify()).toBe(true);
    expect(Enr.decode(enr.encode()).equals(enr)).toBe(true);
    expect(Enr.decodeText(enr.toString()).equals(enr)).toBe(true);
  });

  it('accepts raw address bytes and defaults seq to 1', () => {
    const enr = Enr.create({ privateKey: key, ip: Uint8Array.of(1, 2, 3, 4), ip6: new Uint8Array(16) });
    expect(enr.seq).toBe(1n);
    expect(enr.ip).toBe('1.2.3.4');
    expect(enr.ip6).toBe('::');
  });

  it('keeps extra entries byte-exact, list values included', () => {
    const eth: RlpItem = [[hexToBytes('fc64ec04'), new Uint8Array()]];
    const enr = Enr.create({
      privateKey: key,
      entries: { eth, whisper: new Uint8Array(), 'z\u00e9': hexToBytes('00ff') },
    });
    const again = Enr.decode(enr.encode());
    expect(again.get('eth')).toEqual(eth);
    expect(again.get('whisper')).toEqual(new Uint8Array());
    expect(again.get('zé')).toEqual(hexToBytes('00ff'));
    expect(again.get(utf8ToBytes('zé'))).toEqual(hexToBytes('00ff'));
    expect(again.has('whisper')).toBe(true);
    expect(again.has('mail')).toBe(false);
    expect(again.get('mail')).toBeUndefined();
    expect(codeOf(() => again.getBytes('eth'))).toBe('ERR_ENR_INVALID_VALUE');
    expect(again.pairs().map((p) => bytesToHex(p.key))).toEqual(
      ['eth', 'id', 'secp256k1', 'whisper', 'zé'].map((k) => bytesToHex(utf8ToBytes(k))),
    );
  });

  it('returns copies, so callers cannot alter the record', () => {
    const enr = Enr.create({ privateKey: key, entries: { x: Uint8Array.of(1) } });
    enr.getBytes('x')![0] = 9;
    enr.publicKey[0] = 0;
    enr.encode()[5] = 0;
    expect(enr.getBytes('x')).toEqual(Uint8Array.of(1));
    expect(enr.verify()).toBe(true);
    expect(Enr.decode(enr.encode()).equals(enr)).toBe(true);
  });

  it('copies its input: a record decoded from a slice of a reused Buffer stays intact', () => {
    const enr = Enr.create({ privateKey: key, ip: '1.2.3.4', entries: { x: Uint8Array.of(7) } });
    const packet = Buffer.concat([Buffer.alloc(1000, 1), Buffer.from(enr.encode())]);
    const decoded = Enr.decode(packet.subarray(1000));
    packet.fill(0);
    expect(decoded.verify()).toBe(true);
    expect(decoded.getBytes('x')).toEqual(Uint8Array.of(7));
    expect(Object.getPrototypeOf(decoded.encode())).toBe(Uint8Array.prototype);
    expect(decoded.encode()).toEqual(enr.encode());
  });

  it('rejects bad fields with typed errors', () => {
    expect(codeOf(() => Enr.create({ privateKey: key, ip: '256.0.0.1' }))).toBe('ERR_ENR_INVALID_VALUE');
    expect(codeOf(() => Enr.create({ privateKey: key, ip: '::1' }))).toBe('ERR_ENR_INVALID_VALUE');
    expect(codeOf(() => Enr.create({ privateKey: key, ip6: '1.2.3.4' }))).toBe('ERR_ENR_INVALID_VALUE');
    expect(codeOf(() => Enr.create({ privateKey: key, tcp: 65_536 }))).toBe('ERR_ENR_INVALID_VALUE');
    expect(codeOf(() => Enr.create({ privateKey: key, udp: -1 }))).toBe('ERR_ENR_INVALID_VALUE');
    expect(codeOf(() => Enr.create({ privateKey: key, entries: { ip: Uint8Array.of(1) } }))).toBe(
      'ERR_ENR_INVALID_VALUE',
    );
    expect(codeOf(() => Enr.create({ privateKey: key, entries: { id: utf8ToBytes('v5') } }))).toBe(
      'ERR_ENR_INVALID_VALUE',
    );
    expect(codeOf(() => Enr.create({ privateKey: key, entries: { secp256k1: new Uint8Array(33) } }))).toBe(
      'ERR_ENR_INVALID_VALUE',
    );
    expect(codeOf(() => Enr.create({ privateKey: key, tcp: 1, entries: { tcp: Uint8Array.of(2) } }))).toBe(
      'ERR_ENR_DUPLICATE_KEY',
    );
    expect(codeOf(() => Enr.create({ privateKey: key, seq: -1 }))).toBe('ERR_ENR_INVALID_SEQ');
    expect(codeOf(() => Enr.create({ privateKey: key, seq: ENR_MAX_SEQ + 1n }))).toBe('ERR_ENR_INVALID_SEQ');
    expect(codeOf(() => Enr.create({ privateKey: new Uint8Array(32) }))).toBe(
      'ERR_CRYPTO_INVALID_PRIVATE_KEY',
    );
  });
});

describe('size limit (300 bytes)', () => {
  // A record with one extra entry "x" of `fill` bytes lands exactly on the limit: against the empty value
  // (1 byte), a long value adds its length plus one header byte, and the outer list header grows by one
  // byte once the payload passes 255 bytes.
  const base = Enr.create({ privateKey: key, entries: { x: new Uint8Array(0) } }).size;
  const fill = ENR_MAX_SIZE - base - 2;

  it('creates a record of exactly 300 bytes and refuses 301', () => {
    const max = Enr.create({ privateKey: key, entries: { x: new Uint8Array(fill) } });
    expect(max.size).toBe(ENR_MAX_SIZE);
    expect(Enr.decode(max.encode()).size).toBe(ENR_MAX_SIZE);
    expect(Enr.decodeText(max.encodeText()).size).toBe(ENR_MAX_SIZE);
    expect(codeOf(() => Enr.create({ privateKey: key, entries: { x: new Uint8Array(fill + 1) } }))).toBe(
      'ERR_ENR_TOO_LARGE',
    );
  });

  it('refuses to decode more than 300 bytes, unless the limit is raised', () => {
    const big = Enr.create({ privateKey: key, entries: { x: new Uint8Array(fill + 1) }, maxSize: 400 });
    expect(big.size).toBe(ENR_MAX_SIZE + 1);
    expect(codeOf(() => Enr.decode(big.encode()))).toBe('ERR_ENR_TOO_LARGE');
    expect(codeOf(() => Enr.decodeText(big.encodeText()))).toBe('ERR_ENR_TOO_LARGE');
    expect(Enr.decode(big.encode(), { maxSize: 400 }).equals(big)).toBe(true);
    expect(codeOf(() => Enr.decodeText(`enr:${'A'.repeat(100_000)}`))).toBe('ERR_ENR_TOO_LARGE');
    expect(codeOf(() => big.with(key, { tcp: 1 }))).toBe('ERR_ENR_TOO_LARGE');
  });
});

describe('Enr.decode rejects', () => {
  it('unsorted and duplicate keys', () => {
    const pk = getPublicKey(key, 'compressed');
    expect(codeOf(() => Enr.decode(signRaw(1, ['secp256k1', pk, 'id', 'v4'])))).toBe('ERR_ENR_UNSORTED_KEYS');
    expect(codeOf(() => Enr.decode(signRaw(1, [...v4Pairs(), 'udp', 1, 'udp', 2])))).toBe(
      'ERR_ENR_DUPLICATE_KEY',
    );
    expect(codeOf(() => Enr.decode(signRaw(1, [...v4Pairs(), [], 1])))).toBe('ERR_ENR_INVALID_KEY');
  });

  it('non-canonical or oversized seq', () => {
    expect(codeOf(() => Enr.decode(signRaw(hexToBytes('0001'), v4Pairs())))).toBe('ERR_ENR_INVALID_SEQ');
    expect(codeOf(() => Enr.decode(signRaw(2n ** 64n, v4Pairs())))).toBe('ERR_ENR_INVALID_SEQ');
    expect(codeOf(() => Enr.decode(signRaw([], v4Pairs())))).toBe('ERR_ENR_INVALID_SEQ');
    expect(Enr.decode(signRaw(ENR_MAX_SEQ, v4Pairs())).seq).toBe(ENR_MAX_SEQ);
    expect(Enr.decode(signRaw(0, v4Pairs())).seq).toBe(0n);
  });

  it('wrong identity, key or signature', () => {
    const pk = getPublicKey(key, 'compressed');
    expect(codeOf(() => Enr.decode(signRaw(1, ['secp256k1', pk])))).toBe('ERR_ENR_MISSING_ID');
    expect(codeOf(() => Enr.decode(signRaw(1, ['id', 'v5', 'secp256k1', pk])))).toBe(
      'ERR_ENR_UNKNOWN_SCHEME',
    );
    expect(codeOf(() => Enr.decode(signRaw(1, ['id', ['v4'], 'secp256k1', pk])))).toBe(
      'ERR_ENR_UNKNOWN_SCHEME',
    );
    expect(codeOf(() => Enr.decode(signRaw(1, ['id', 'v4'])))).toBe('ERR_ENR_INVALID_PUBLIC_KEY');
    expect(codeOf(() => Enr.decode(signRaw(1, ['id', 'v4', 'secp256k1', pk.subarray(1)])))).toBe(
      'ERR_ENR_INVALID_PUBLIC_KEY',
    );
    const offCurve = new Uint8Array(33).fill(0xff);
    offCurve[0] = 2;
    expect(codeOf(() => Enr.decode(signRaw(1, ['id', 'v4', 'secp256k1', offCurve])))).toBe(
      'ERR_ENR_INVALID_PUBLIC_KEY',
    );
    // Signed by another key than the one in the record.
    expect(codeOf(() => Enr.decode(signRaw(1, v4Pairs(), otherKey)))).toBe('ERR_ENR_BAD_SIGNATURE');
    expect(codeOf(() => Enr.decode(rlpEncode([new Uint8Array(65), 1, ...v4Pairs()])))).toBe(
      'ERR_ENR_BAD_SIGNATURE',
    );
    expect(codeOf(() => Enr.decode(rlpEncode([[], 1, ...v4Pairs()])))).toBe('ERR_ENR_BAD_SIGNATURE');
    expect(codeOf(() => Enr.decode(rlpEncode('not a list')))).toBe('ERR_ENR_NOT_A_LIST');
  });

  it('the high-S twin of a valid signature (malleability)', () => {
    const enr = Enr.create({ privateKey: key, udp: 1 });
    const [sig, ...rest] = rlpDecode(enr.encode()) as Uint8Array[];
    let s = 0n;
    for (const b of sig!.subarray(32)) s = (s << 8n) | BigInt(b);
    const highS = hexToBytes((SECP256K1_N - s).toString(16).padStart(64, '0'));
    const twin = rlpEncode([new Uint8Array([...sig!.subarray(0, 32), ...highS]), ...rest]);
    expect(codeOf(() => Enr.decode(twin))).toBe('ERR_ENR_BAD_SIGNATURE');
  });

  it('malformed predefined values', () => {
    const cases: Array<[string, RlpInput]> = [
      ['ip', Uint8Array.of(1, 2, 3)],
      ['ip6', new Uint8Array(4)],
      ['tcp', Uint8Array.of(0, 0, 1)], // leading zeros are fine within 2 bytes, not beyond
      ['udp', Uint8Array.of(1, 0, 0)],
      ['udp6', [Uint8Array.of(1)]],
    ];
    for (const [name, value] of cases) {
      const pairs = [...v4Pairs(), name, value];
      const sorted: RlpInput[] = [];
      const order = [0, 2, 4].map((i) => [pairs[i] as string, pairs[i + 1]!] as const);
      order.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [k, v] of order) sorted.push(k, v);
      expect(codeOf(() => Enr.decode(signRaw(1, sorted)))).toBe('ERR_ENR_INVALID_VALUE');
    }
  });

  it('text without the prefix, with padding or with invalid characters', () => {
    const text = Enr.create({ privateKey: key }).encodeText();
    expect(codeOf(() => Enr.decodeText(text.slice(4)))).toBe('ERR_ENR_MISSING_PREFIX');
    expect(codeOf(() => Enr.decodeText(`ENR:${text.slice(4)}`))).toBe('ERR_ENR_MISSING_PREFIX');
    expect(codeOf(() => Enr.decodeText(`${text}=`))).toBe('ERR_ENR_INVALID_BASE64');
    expect(codeOf(() => Enr.decodeText(`${text.slice(0, 10)}+${text.slice(11)}`))).toBe(
      'ERR_ENR_INVALID_BASE64',
    );
    expect(codeOf(() => Enr.decodeText(`${text} `))).toBe('ERR_ENR_INVALID_BASE64');
  });
});

describe('updates', () => {
  it('with() bumps seq, re-signs and keeps unknown keys', () => {
    const first = Enr.create({ privateKey: key, ip: '1.2.3.4', tcp: 1, entries: { waku: Uint8Array.of(3) } });
    const second = first.with(key, { ip: '5.6.7.8', tcp: null, udp: 9 });
    expect(second.seq).toBe(2n);
    expect(second.ip).toBe('5.6.7.8');
    expect(second.tcp).toBeUndefined();
    expect(second.udp).toBe(9);
    expect(second.getBytes('waku')).toEqual(Uint8Array.of(3));
    expect(second.verify()).toBe(true);
    expect(first.ip).toBe('1.2.3.4'); // immutable
    const third = second.with(key, { entries: { waku: null }, seq: 10 });
    expect(third.seq).toBe(10n);
    expect(third.has('waku')).toBe(false);
  });

  it('with() refuses another key, a lower seq and seq overflow', () => {
    const enr = Enr.create({ privateKey: key, seq: 5 });
    expect(codeOf(() => enr.with(otherKey, { tcp: 1 }))).toBe('ERR_ENR_KEY_MISMATCH');
    expect(codeOf(() => enr.with(key, { seq: 5 }))).toBe('ERR_ENR_INVALID_SEQ');
    const last = Enr.create({ privateKey: key, seq: ENR_MAX_SEQ });
    expect(codeOf(() => last.with(key, { tcp: 1 }))).toBe('ERR_ENR_INVALID_SEQ');
  });

  it('LocalRecord bumps seq only when something changes (ENR-08)', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const local = new LocalRecord({ privateKey: key, clock, ip: '1.2.3.4', tcp: 30303 });
    expect(local.seq).toBe(1_700_000_000_000n);
    expect(local.update({ ip: '1.2.3.4', tcp: 30303 })).toBe(false);
    expect(local.seq).toBe(1_700_000_000_000n);
    expect(local.update({ ip: '4.3.2.1' })).toBe(true);
    expect(local.seq).toBe(1_700_000_000_001n);
    expect(local.enr.ip).toBe('4.3.2.1');
    expect(local.enr.tcp).toBe(30303);
    expect(local.update({ entries: { whisper: new Uint8Array() } })).toBe(true);
    expect(local.update({ entries: { whisper: new Uint8Array() } })).toBe(false);
    expect(local.update({ tcp: null })).toBe(true);
    expect(local.update({ tcp: null })).toBe(false);
    expect(local.seq).toBe(1_700_000_000_003n);
    expect(local.enr.verify()).toBe(true);

    const restored = LocalRecord.restore(key, local.enr.encodeText());
    expect(restored.seq).toBe(local.seq);
    expect(restored.update({ udp: 30303 })).toBe(true);
    expect(restored.seq).toBe(local.seq + 1n);
    expect(LocalRecord.restore(key, local.enr.encode()).enr.equals(local.enr)).toBe(true);
    expect(codeOf(() => LocalRecord.restore(otherKey, local.enr))).toBe('ERR_ENR_KEY_MISMATCH');
    expect(new LocalRecord({ privateKey: key, seq: 3 }).seq).toBe(3n);
  });
});

describe('properties', () => {
  const keys = [key, otherKey];
  const port = fc.integer({ min: 0, max: 65_535 });
  const extraKey = fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((k) => !/^(id|secp256k1|ip|ip6|tcp|tcp6|udp|udp6)$/.test(k));
  const fields = fc.record(
    {
      keyIndex: fc.integer({ min: 0, max: 1 }),
      seq: fc.bigInt({ min: 0n, max: ENR_MAX_SEQ }),
      ip: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      ip6: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      tcp: port,
      udp: port,
      tcp6: port,
      udp6: port,
      entries: fc.dictionary(extraKey, fc.uint8Array({ maxLength: 20 }), { maxKeys: 3 }),
    },
    { requiredKeys: ['keyIndex', 'seq', 'entries'] },
  );

  it('create -> encode -> decode round trip with random addresses, ports and extra keys', () => {
    fc.assert(
      fc.property(fields, ({ keyIndex, ...rest }) => {
        const enr = Enr.create({ privateKey: keys[keyIndex]!, ...rest });
        const back = Enr.decodeText(enr.encodeText());
        expect(back.encode()).toEqual(enr.encode());
        expect(back.seq).toBe(rest.seq);
        expect(back.tcp).toBe(rest.tcp);
        expect(back.udp6).toBe(rest.udp6);
        if (rest.ip) expect(back.getBytes('ip')).toEqual(rest.ip);
        if (rest.ip6) expect(back.getBytes('ip6')).toEqual(rest.ip6);
        for (const [k, v] of Object.entries(rest.entries)) expect(back.getBytes(k)).toEqual(v);
      }),
      { numRuns: 1000 },
    );
  });

  const valid = Enr.create({
    privateKey: key,
    ip: '127.0.0.1',
    tcp: 30303,
    udp: 30303,
    entries: { eth: [[Uint8Array.of(1, 2, 3, 4), new Uint8Array()]] },
  });

  function onlyTypedErrors(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(StatusTsError);
      expect(typeof (err as StatusTsError).code).toBe('string');
    }
  }

  it('mutated records: decode and decodeText throw only typed errors', () => {
    const bytes = valid.encode();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat({ max: bytes.length }),
        (edits, cut) => {
          const mutated = bytes.slice(0, cut === 0 ? bytes.length : cut);
          for (const [at, value] of edits) if (at < mutated.length) mutated[at] = value;
          onlyTypedErrors(() => Enr.decode(mutated));
          onlyTypedErrors(() => Enr.decodeText(`enr:${base64UrlEncode(mutated)}`));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('random bytes and strings: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 320 }), fc.string({ maxLength: 120 }), (bytes, text) => {
        onlyTypedErrors(() => Enr.decode(bytes));
        onlyTypedErrors(() => Enr.decodeText(`enr:${text}`));
        onlyTypedErrors(() => Enr.decodeText(text));
      }),
      { numRuns: 1000 },
    );
  });
});
