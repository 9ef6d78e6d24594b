import { concatBytes, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { CryptoError, getPublicKey, keccak256, signCompact } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordRlp,
  Enr,
  EnrErrorCode,
  LocalRecord,
  RlpError,
  RlpErrorCode,
  type RlpInput,
  rlpEncode,
} from '../src/index.js';
import { errorOf } from './error-of.js';

const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');

/** A v4 record signed by `key` whose `secp256k1` value and signature are whatever the test needs. */
function rawRecord(publicKey: Uint8Array, signature?: (sig: Uint8Array) => Uint8Array): Uint8Array {
  const pairs: RlpInput[] = [utf8ToBytes('id'), utf8ToBytes('v4'), utf8ToBytes('secp256k1'), publicKey];
  const sig = signCompact(keccak256(rlpEncode([1n, ...pairs])), key);
  return rlpEncode([signature ? signature(sig) : sig, 1n, ...pairs]);
}

describe('Enr.create field checks', () => {
  it('rejects a seq that is not a safe integer', () => {
    for (const seq of [1.5, Number.MAX_SAFE_INTEGER + 2]) {
      expect(errorOf(() => Enr.create({ privateKey: key, seq })).code).toBe(EnrErrorCode.InvalidSeq);
    }
  });

  it('rejects a number as an address and a non-number as a port', () => {
    const ip = errorOf(() => Enr.create({ privateKey: key, ip: 4 as unknown as string }));
    expect(ip.code).toBe(EnrErrorCode.InvalidValue);
    const tcp = errorOf(() => Enr.create({ privateKey: key, tcp: '30303' as unknown as number }));
    expect(tcp.code).toBe(EnrErrorCode.InvalidValue);
    expect(tcp.details).toStrictEqual({ key: 'tcp' });
  });

  it('names the key of a reserved, duplicate or malformed entry', () => {
    const reserved = errorOf(() => Enr.create({ privateKey: key, entries: { id: utf8ToBytes('v5') } }));
    expect(reserved.code).toBe(EnrErrorCode.InvalidValue);
    expect(reserved.details).toStrictEqual({ key: 'id' });
    const both = errorOf(() => Enr.create({ privateKey: key, tcp: 1, entries: { tcp: Uint8Array.of(2) } }));
    expect(both.code).toBe(EnrErrorCode.DuplicateKey);
    expect(both.details).toStrictEqual({ key: 'tcp' });
    const ip = errorOf(() => Enr.create({ privateKey: key, entries: { ip: Uint8Array.of(1, 2, 3) } }));
    expect(ip.code).toBe(EnrErrorCode.InvalidValue);
    expect(ip.details).toStrictEqual({ key: 'ip' });
  });

  it('rejects address bytes of the wrong length', () => {
    for (const [field, bytes] of [
      ['ip', new Uint8Array(3)],
      ['ip', new Uint8Array(16)],
      ['ip6', new Uint8Array(4)],
    ] as const) {
      const err = errorOf(() => Enr.create({ privateKey: key, [field]: bytes }));
      expect(err.code).toBe(EnrErrorCode.InvalidValue);
      expect(err.details).toStrictEqual({ key: field });
    }
  });

  it('stores a non-ASCII text key as its UTF-8 bytes', () => {
    const enr = Enr.create({ privateKey: key, entries: { é: Uint8Array.of(1), aé: Uint8Array.of(2) } });
    const keys = enr.pairs().map((pair) => [...pair.key]);
    expect(keys).toContainEqual([0xc3, 0xa9]);
    expect(keys).toContainEqual([0x61, 0xc3, 0xa9]);
    expect(enr.get('é')).toEqual(Uint8Array.of(1));
    expect(enr.get(Uint8Array.of(0xc3, 0xa9))).toEqual(Uint8Array.of(1));
  });

  it('writes ports in the fewest bytes', () => {
    const enr = Enr.create({ privateKey: key, tcp: 255, udp: 256 });
    expect(enr.get('tcp')).toEqual(Uint8Array.of(255));
    expect(enr.get('udp')).toEqual(Uint8Array.of(1, 0));
    expect(enr.udp).toBe(256);
  });

  it('reports the size and the limit of a record too large', () => {
    const entries = { big: new Uint8Array(100) };
    const size = Enr.create({ privateKey: key, entries }).size;
    const err = errorOf(() => Enr.create({ privateKey: key, entries, maxSize: size - 1 }));
    expect(err.code).toBe(EnrErrorCode.TooLarge);
    expect(err.details).toStrictEqual({ size, maxSize: size - 1 });
  });
});

describe('Enr.decode identity checks', () => {
  it('accepts only the 33-byte compressed key', () => {
    const uncompressed = getPublicKey(key, 'uncompressed');
    const err = errorOf(() => Enr.decode(rawRecord(uncompressed)));
    expect(err.code).toBe(EnrErrorCode.InvalidPublicKey);
    expect(Enr.decode(rawRecord(getPublicKey(key, 'compressed'))).seq).toBe(1n);
  });

  it('keeps the curve error of a key off the curve as the cause', () => {
    const offCurve = concatBytes(Uint8Array.of(2), new Uint8Array(32).fill(0xff));
    const err = errorOf(() => Enr.decode(rawRecord(offCurve)));
    expect(err.code).toBe(EnrErrorCode.InvalidPublicKey);
    expect(err.cause).toBeInstanceOf(CryptoError);
  });

  it('rejects a 65-byte signature even when its first 64 bytes verify', () => {
    const compressed = getPublicKey(key, 'compressed');
    const err = errorOf(() => Enr.decode(rawRecord(compressed, (sig) => concatBytes(sig, Uint8Array.of(0)))));
    expect(err.code).toBe(EnrErrorCode.BadSignature);
  });
});

describe('Enr.decodeText size check before decoding', () => {
  it('rejects text holding more than maxSize bytes at the first character over', () => {
    // 401 characters hold 300 bytes: decoded (and refused as base64); 402 hold 301: refused unread.
    expect(errorOf(() => Enr.decodeText(`enr:${'!'.repeat(401)}`)).code).toBe(EnrErrorCode.InvalidBase64);
    const err = errorOf(() => Enr.decodeText(`enr:${'!'.repeat(402)}`));
    expect(err.code).toBe(EnrErrorCode.TooLarge);
    expect(err.details).toStrictEqual({ size: 301, maxSize: 300 });
  });

  it('uses the maxSize option', () => {
    const options = { maxSize: 400 };
    expect(errorOf(() => Enr.decodeText(`enr:${'!'.repeat(534)}`, options)).code).toBe(
      EnrErrorCode.InvalidBase64,
    );
    const err = errorOf(() => Enr.decodeText(`enr:${'!'.repeat(536)}`, options));
    expect(err.details).toStrictEqual({ size: 402, maxSize: 400 });
  });
});

describe('Enr accessors', () => {
  it('getBytes gives undefined for an absent key and names a list-valued key', () => {
    const enr = Enr.create({ privateKey: key, entries: { eth: [Uint8Array.of(1)] } });
    expect(enr.getBytes('absent')).toBeUndefined();
    const err = errorOf(() => enr.getBytes('eth'));
    expect(err.code).toBe(EnrErrorCode.InvalidValue);
    expect(err.details).toStrictEqual({ key: 'eth' });
  });

  it('toNodeAddress prefers IPv4 with its own ports', () => {
    const both = Enr.create({
      privateKey: key,
      ip: '10.0.0.1',
      ip6: '::1',
      tcp: 1,
      tcp6: 2,
      udp: 3,
      udp6: 4,
    });
    expect(both.toNodeAddress()).toMatchObject({ ip: '10.0.0.1', tcp: 1, udp: 3 });
    const noAddress = Enr.create({ privateKey: key, tcp: 1, tcp6: 2 });
    expect(noAddress.toNodeAddress()).toMatchObject({ ip: undefined, tcp: 1, udp: 0 });
  });

  it('toNodeAddress falls back to udp for an IPv6 record without udp6', () => {
    const enr = Enr.create({ privateKey: key, ip6: '::1', udp: 5 });
    expect(enr.toNodeAddress()).toMatchObject({ ip: '::1', tcp: 0, udp: 5 });
  });

  it('wouldChange sees one key swapped for another', () => {
    const enr = Enr.create({ privateKey: key, tcp: 1 });
    expect(enr.wouldChange({ tcp: null, udp: 1 })).toBe(true);
    expect(enr.wouldChange({ tcp: 1 })).toBe(false);
  });
});

describe('LocalRecord.restore size limit', () => {
  it('restores a saved record larger than 300 bytes with its maxSize', () => {
    const saved = Enr.create({ privateKey: key, entries: { big: new Uint8Array(250) }, maxSize: 400 });
    expect(LocalRecord.restore(key, saved.encodeText(), 400).seq).toBe(saved.seq);
    expect(LocalRecord.restore(key, saved.encode(), 400).enr.equals(saved)).toBe(true);
  });
});

describe('record structure errors', () => {
  const sig = new Uint8Array(64);
  const a = utf8ToBytes('a');
  const b = utf8ToBytes('b');

  it('names the index of a duplicate or unsorted key', () => {
    const dup = errorOf(() => decodeRecordRlp(rlpEncode([sig, 1n, a, a, a, b])));
    expect(dup.code).toBe(EnrErrorCode.DuplicateKey);
    expect(dup.details).toStrictEqual({ index: 1 });
    const unsorted = errorOf(() => decodeRecordRlp(rlpEncode([sig, 1n, b, a, a, b])));
    expect(unsorted.code).toBe(EnrErrorCode.UnsortedKeys);
    expect(unsorted.details).toStrictEqual({ index: 1 });
  });

  it('rejects a list as signature', () => {
    expect(errorOf(() => decodeRecordRlp(rlpEncode([[], 1n]))).code).toBe(EnrErrorCode.BadSignature);
  });

  it('keeps the RLP error of a bad seq as the cause', () => {
    const err = errorOf(() => decodeRecordRlp(rlpEncode([sig, Uint8Array.of(0, 1)])));
    expect(err.code).toBe(EnrErrorCode.InvalidSeq);
    expect(err.cause).toBeInstanceOf(RlpError);
    expect((err.cause as RlpError).code).toBe(RlpErrorCode.NonCanonicalInteger);
  });
});
