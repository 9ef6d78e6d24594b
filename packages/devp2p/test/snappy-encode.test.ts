import { bytesToHex, utf8ToBytes as utf8 } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_SIZE, snappyCompress, snappyDecompress } from '../src/index.js';
import { snappyMaxEncodedLength } from '../src/p2p/snappy-encode.js';

// Exact encoder output for inputs whose encoding follows from the reference algorithm step by step (the
// comments give the elements): a byte changed here is a changed choice of element, not only a worse ratio.

const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const hex = (bytes: Uint8Array) => bytesToHex(bytes);

function encodes(input: Uint8Array, expected: string): void {
  const out = snappyCompress(input);
  expect(hex(out)).toBe(expected);
  expect(hex(snappyDecompress(out, DEFAULT_MAX_MESSAGE_SIZE))).toBe(hex(input));
}

describe('snappy encoder output', () => {
  it('bounds the output at 32 + n + n/6 bytes', () => {
    expect(snappyMaxEncodedLength(0)).toBe(32);
    expect(snappyMaxEncodedLength(600)).toBe(732);
    expect(snappyMaxEncodedLength(605)).toBe(737);
  });

  it('writes the length header as a uvarint (127 in one byte, 128 in two)', () => {
    // A run of zeros: literal 0x00, then copies at offset 1.
    encodes(new Uint8Array(127), '7f' + '0000' + 'fe0100' + 'f60100');
    encodes(new Uint8Array(128), '8001' + '0000' + 'fe0100' + 'fa0100');
  });

  it('uses the 1-byte literal tag up to 60 bytes, one length byte up to 256, two above', () => {
    // Bytes 0, 1, 2, ...: no 4-byte sequence repeats, so one literal.
    encodes(seq(60), `3cec${hex(seq(60))}`);
    encodes(seq(61), `3df03c${hex(seq(61))}`);
    encodes(seq(256), `8002f0ff${hex(seq(256))}`);
    encodes(seq(257), `8102f40001${hex(seq(257))}`);
  });

  it('splits copies as the reference does: 64-byte pieces, then 60 to leave at least 4', () => {
    // Literal 0x00, then a copy of 64 at offset 1: one 2-byte-offset copy.
    encodes(new Uint8Array(65), '41' + '0000' + 'fe0100');
    // A copy of 68: 64, then 4 as a 1-byte-offset copy.
    encodes(new Uint8Array(69), '45' + '0000' + 'fe0100' + '0101');
  });

  it('uses a 2-byte offset for a short copy at offset 2048', () => {
    // 1 2 3 4, zeros up to 2048, 1 2 3 4 0 0 0 0, then 16 new bytes.
    const input = new Uint8Array(2072);
    input.set([1, 2, 3, 4]);
    input.set([1, 2, 3, 4], 2048);
    input.set(seq(16, 200), 2056);
    encodes(
      input,
      '9810' + // 2072
        '1001020304' +
        '00' + // literal 1 2 3 4 0
        'fe0100'.repeat(31) +
        'ea0100' + // copy 2043 at offset 1: 31 x 64, then 59
        '1e0008' + // copy 8 at offset 2048
        '3c' +
        hex(seq(16, 200)),
    );
  });

  it('encodes a block of 17 bytes with copies and one of 16 as a literal', () => {
    encodes(new Uint8Array(17).fill(0x61), '11' + '0061' + '3e0100');
    encodes(new Uint8Array(16).fill(0x61), `103c${'61'.repeat(16)}`);
  });

  it('still looks for a match at the last position before the input margin', () => {
    // 20 bytes: the margin of 15 leaves positions up to 5; the match 1 2 3 4 at 4 is found.
    encodes(Uint8Array.from([1, 2, 3, 4, 1, 2, 3, 4, ...seq(12, 5)]), `140c0102030401042c${hex(seq(12, 5))}`);
  });

  it('stops matching once a copy ends at the input margin', () => {
    // 1 2 3 4, zeros, then 1..15 from position 45 = 60 - 15: a literal, though 1 2 3 4 repeats.
    const input = new Uint8Array(60);
    input.set([1, 2, 3, 4]);
    input.set(seq(15, 1), 45);
    encodes(input, `3c1001020304009e010038${hex(seq(15, 1))}`);
  });

  it('looks up the position after a failed match check after a copy', () => {
    // 1 2 3 4, zeros, 9, then 1 2 3 4 again: after the zeros' copy, 9 starts no match, but 1 2 3 4 at
    // 21 matches position 0.
    const input = new Uint8Array(41);
    input.set([1, 2, 3, 4]);
    input.set([9, 1, 2, 3, 4], 20);
    input.set(seq(16, 100), 25);
    encodes(input, `291001020304003a0100000901153c${hex(seq(16, 100))}`);
  });
  // The hash table has 2^b entries for blocks up to 2^b bytes (b from 8 to 14), indexed by the top b bits of
  // load32 * 0x1e35a7bd. "UVWX" at 1 and 9 with another 4 bytes between whose hash shares its top bits:
  // in a table that small the later entry replaces position 1 and the repeat is not found.
  const filler = (n: number) => {
    let x = 12345;
    return Uint8Array.from({ length: n }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x >>> 24;
    });
  };
  const block = (between: string, length: number) =>
    Uint8Array.from([0, ...utf8('UVWX'), ...utf8(between), ...utf8('UVWX'), ...filler(length - 13)]);

  it('sizes the hash table to the block: 1024 entries for 600 bytes', () => {
    // "BBmA" shares the top 8 bits of its hash with "UVWX", not the top 10.
    const input = block('BBmA', 600);
    const out = snappyCompress(input);
    expect(hex(out.subarray(0, 14))).toBe(`d80420${hex(input.subarray(0, 9))}0108`);
    expect(hex(snappyDecompress(out, 600))).toBe(hex(input));
  });

  it('sizes the hash table to the block: 512 entries for 512 bytes, also in a second block', () => {
    // "BAxA" shares the top 9 bits with "UVWX", not the top 10: the 512-entry table loses the repeat.
    const input = block('BAxA', 512);
    encodes(input, `8004f4ff01${hex(input)}`);
    const twoBlocks = new Uint8Array(65_536 + 512);
    twoBlocks.set(input, 65_536);
    const out = hex(snappyCompress(twoBlocks));
    expect(out.endsWith(`f4ff01${hex(input)}`)).toBe(true);
  });
});
