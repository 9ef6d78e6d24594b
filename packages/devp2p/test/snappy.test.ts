import { bytesToHex, equalBytes, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import fc from 'fast-check';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  Devp2pErrorCode,
  snappyCompress,
  snappyDecodedLength,
  snappyDecompress,
} from '../src/index.js';
import { snappyCompressTransient } from '../src/p2p/snappy.js';

describe('snappy (EIP-706 block format)', () => {
  it('round-trips random, repetitive, multi-block and empty data; snappyjs reads ours and we read its', () => {
    const json = utf8ToBytes(
      JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ id: i, text: `msg ${i % 13}` }))),
    );
    const inputs = [
      new Uint8Array(0),
      utf8ToBytes('a'),
      randomBytes(16),
      randomBytes(1000),
      new Uint8Array(70_000).fill(7),
      utf8ToBytes('abcabcabcabcabcabcabcabc'.repeat(500)),
      json, // > 64 KiB: several blocks
      Uint8Array.from([...randomBytes(70_000), ...json.subarray(0, 70_000)]),
    ];
    for (const input of inputs) {
      const compressed = snappyCompress(input);
      expect(snappyDecodedLength(compressed)).toBe(input.length);
      expect(bytesToHex(snappyDecompress(compressed, DEFAULT_MAX_MESSAGE_SIZE))).toBe(bytesToHex(input));
      expect(bytesToHex(snappyjs.uncompress(compressed))).toBe(bytesToHex(input));
      const theirs = snappyjs.compress(input);
      expect(bytesToHex(snappyDecompress(theirs, DEFAULT_MAX_MESSAGE_SIZE))).toBe(bytesToHex(input));
    }
    expect(snappyCompress(json).length).toBeLessThan(json.length / 3);
    expect(snappyCompress(randomBytes(1000)).length).toBeLessThanOrEqual(1000 + 5);
  });

  it('the send path compression into a reused buffer gives the same bytes as snappyCompress, call after call', () => {
    // Sizes on both sides of the retained buffer's limit (256 KiB of output); stale longer output is left
    // behind by one call for the next.
    const patterned = (n: number, seed: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (seed + (i % 97)) & 0xff;
      return out;
    };
    const sizeArb = fc.oneof(fc.nat(2000), fc.integer({ min: 200_000, max: 230_000 }));
    const inputArb = fc
      .tuple(sizeArb, fc.nat(255), fc.boolean())
      .map(([n, seed, random]) => (random ? randomBytes(n) : patterned(n, seed)));
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 4 }), (inputs) => {
        for (const input of inputs) {
          expect(equalBytes(snappyCompressTransient(input), snappyCompress(input))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('decodes hand-made streams: literal, 1- and 2-byte-offset copies, overlapping copy', () => {
    // "abcd" literal then copy(len 4, offset 4) => "abcdabcd"
    expect(new TextDecoder().decode(snappyDecompress(hexToBytes('080c61626364' + '0104'), 100))).toBe(
      'abcdabcd',
    );
    // "a" then copy(len 5, offset 1) with a 2-byte offset => "aaaaaa"
    expect(new TextDecoder().decode(snappyDecompress(hexToBytes('06' + '0061' + '120100'), 100))).toBe(
      'aaaaaa',
    );
  });

  it('rejects a declared length above the limit before allocating (ERR_P2P_SNAPPY_TOO_LARGE)', () => {
    // Declares 2^32 - 1 bytes with no body.
    expect(() => snappyDecompress(hexToBytes('ffffffff0f'), DEFAULT_MAX_MESSAGE_SIZE)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.SnappyTooLarge }),
    );
    const compressed = snappyCompress(new Uint8Array(2000));
    expect(() => snappyDecompress(compressed, 1999)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.SnappyTooLarge }),
    );
    expect(snappyDecompress(compressed, 2000).length).toBe(2000);
  });

  it('rejects corrupt streams that snappyjs would accept', () => {
    const corrupt = [
      '', // no header
      '80', // truncated varint
      '8080808010', // above 2^32 - 1
      '05' + '08616263', // declares 5, produces 3
      '03' + '0c61626364', // literal of 4 into 3
      '04' + '0061' + '0504', // copy offset 4 > produced 1
      '04' + '0061' + '0100', // copy offset 0
      '08' + '0861', // truncated literal
      '04' + 'f0', // truncated long literal length
      '04' + '02', // truncated 2-byte copy
    ];
    for (const hex of corrupt) {
      expect(() => snappyDecompress(hexToBytes(hex), 100), hex).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^ERR_P2P_(BAD_SNAPPY|SNAPPY_TOO_LARGE)$/) }),
      );
    }
    // snappyjs silently returns zero-padded output for a short stream and truncates an overlong one.
    expect(bytesToHex(snappyjs.uncompress(hexToBytes('0508616263')))).toBe('6162630000');
    expect(bytesToHex(snappyjs.uncompress(hexToBytes('030c61626364')))).toBe('616263');
  });
});
