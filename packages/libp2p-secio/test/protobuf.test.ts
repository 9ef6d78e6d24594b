import { describe, expect, it } from 'vitest';
import { SecioErrorCode } from '../src/errors.js';
import {
  decodeExchange,
  decodePropose,
  encodeExchange,
  encodePropose,
  MAX_ALGORITHM_LIST_LENGTH,
  MAX_NONCE_LENGTH,
  type Propose,
} from '../src/protobuf.js';

const propose: Propose = {
  rand: new Uint8Array(16).fill(1),
  pubkey: Uint8Array.of(8, 2, 18, 1, 5),
  exchanges: 'P-256,P-384,P-521',
  ciphers: 'AES-256,AES-128',
  hashes: 'SHA256,SHA512',
};

const badMessage = expect.objectContaining({ code: SecioErrorCode.BadMessage });

describe('Propose / Exchange codec', () => {
  it('writes fields 1..5 in order as length-delimited protobuf (what go and js-libp2p-secio emit)', () => {
    const bytes = encodePropose(propose);
    expect([...bytes.subarray(0, 2)]).toEqual([0x0a, 16]);
    expect(decodePropose(bytes)).toEqual(propose);
    const exchange = { epubkey: new Uint8Array(65).fill(4), signature: Uint8Array.of(0x30, 1, 2) };
    expect(decodeExchange(encodeExchange(exchange))).toEqual(exchange);
  });

  it('skips unknown fields of every wire type, and the last occurrence of a field wins', () => {
    const extra = Uint8Array.of(0x30, 0x96, 0x01, 0x39, ...new Uint8Array(8), 0x45, 1, 2, 3, 4, 0x52, 1, 9);
    const repeated = Uint8Array.of(0x1a, 5, ...new TextEncoder().encode('P-384'));
    const decoded = decodePropose(Uint8Array.of(...encodePropose(propose), ...extra, ...repeated));
    expect(decoded.exchanges).toBe('P-384');
  });

  it.each([
    ['an empty message', new Uint8Array(0)],
    ['a truncated varint', Uint8Array.of(0x0a, 0x80)],
    ['a field running past the end', Uint8Array.of(0x0a, 5, 1, 2)],
    ['a known field with the varint wire type', Uint8Array.of(0x08, 1)],
    ['field number 0', Uint8Array.of(0x02, 0)],
    ['a group wire type', Uint8Array.of(0x33)],
    ['an 11-byte varint', Uint8Array.of(0x30, ...new Array(10).fill(0xff), 1)],
  ])('rejects %s with ERR_SECIO_BAD_MESSAGE', (_what, bytes) => {
    expect(() => decodePropose(bytes)).toThrow(badMessage);
    expect(() => decodeExchange(bytes)).toThrow(badMessage);
  });

  it('requires every Propose field and both Exchange fields', () => {
    for (const field of ['rand', 'pubkey', 'exchanges', 'ciphers', 'hashes'] as const) {
      const missing = {
        ...propose,
        [field]: field === 'rand' || field === 'pubkey' ? new Uint8Array(0) : '',
      };
      expect(() => decodePropose(encodePropose(missing))).toThrow(badMessage);
    }
    expect(() =>
      decodeExchange(encodeExchange({ epubkey: Uint8Array.of(4), signature: new Uint8Array(0) })),
    ).toThrow(badMessage);
  });

  it(`limits the nonce to ${MAX_NONCE_LENGTH} bytes and each algorithm list to ${MAX_ALGORITHM_LIST_LENGTH} bytes`, () => {
    expect(
      decodePropose(encodePropose({ ...propose, rand: new Uint8Array(MAX_NONCE_LENGTH) })).rand,
    ).toHaveLength(64);
    expect(() =>
      decodePropose(encodePropose({ ...propose, rand: new Uint8Array(MAX_NONCE_LENGTH + 1) })),
    ).toThrow(badMessage);
    const longest = 'A'.repeat(MAX_ALGORITHM_LIST_LENGTH);
    expect(decodePropose(encodePropose({ ...propose, ciphers: longest })).ciphers).toBe(longest);
    expect(() => decodePropose(encodePropose({ ...propose, hashes: `${longest}B` }))).toThrow(badMessage);
  });

  it('rejects algorithm lists that are not UTF-8', () => {
    const bytes = Uint8Array.of(...encodePropose(propose), 0x22, 2, 0xc3, 0x28);
    expect(() => decodePropose(bytes)).toThrow(badMessage);
  });
});
