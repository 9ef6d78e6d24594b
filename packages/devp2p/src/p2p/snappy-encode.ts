// Snappy block compression (the format of EIP-706), following the reference encoder: 64 KiB blocks, a
// hash table of 4-byte sequences, literals copied with TypedArray.set. Every output is checked against
// snappyjs's and our own decoder by the tests.

const BLOCK_SIZE = 65_536;
const INPUT_MARGIN = 15; // the match loop reads up to 4 bytes past its position
// Stryker disable next-line ArithmeticOperator: encodeBlock emits the same single literal for blocks this short
const MIN_NON_LITERAL_BLOCK = 1 + 1 + INPUT_MARGIN;
const MAX_TABLE_BITS = 14;
const HASH_MUL = 0x1e35a7bd;
// Positions relative to the block start: blocks start at multiples of 64 KiB, so the Uint16Array's wrap
// stores s - start when given s.
const table = new Uint16Array(1 << MAX_TABLE_BITS);

function load32(src: Uint8Array, i: number): number {
  return src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
}

/** Upper bound of the compressed size of `n` bytes. */
export function snappyMaxEncodedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

function emitLiteral(dst: Uint8Array, d: number, src: Uint8Array, start: number, end: number): number {
  const n = end - start - 1;
  if (n < 60) {
    dst[d++] = n << 2;
  } else if (n < 0x100) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else {
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: both ways copy the same bytes; 32 only picks the faster one
  if (end - start < 32) {
    for (let i = start; i < end; i++) dst[d++] = src[i]!;
    return d;
  }
  dst.set(src.subarray(start, end), d);
  return d + end - start;
}

function emitCopy(dst: Uint8Array, d: number, offset: number, length: number): number {
  while (length >= 68) {
    dst[d++] = (63 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    length -= 64;
  }
  if (length > 64) {
    dst[d++] = (59 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    length -= 60;
  }
  if (length >= 12 || offset >= 2048) {
    dst[d++] = ((length - 1) << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
  } else {
    dst[d++] = ((offset >>> 8) << 5) | ((length - 4) << 2) | 1;
    dst[d++] = offset & 0xff;
  }
  return d;
}

/** Compresses src[start, end) (at most 64 KiB) into dst at d; returns the new end of dst. */
function encodeBlock(dst: Uint8Array, d: number, src: Uint8Array, start: number, end: number): number {
  const len = end - start;
  let tableBits = 8;
  while (tableBits < MAX_TABLE_BITS && 1 << tableBits < len) tableBits++;
  const shift = 32 - tableBits;
  table.fill(0, 0, 1 << tableBits);

  const sLimit = end - INPUT_MARGIN;
  let nextEmit = start;
  let s = start + 1;
  let nextHash = Math.imul(load32(src, s), HASH_MUL) >>> shift;
  for (;;) {
    let skip = 32;
    let nextS = s;
    let candidate: number;
    // Find a 4-byte match, looking further apart the longer nothing matches.
    for (;;) {
      s = nextS;
      const step = skip >>> 5;
      nextS = s + step;
      skip += step;
      // nextEmit <= s < sLimit < end here: the rest is never empty.
      if (nextS > sLimit) return emitLiteral(dst, d, src, nextEmit, end);
      candidate = start + table[nextHash]!;
      table[nextHash] = s;
      nextHash = Math.imul(load32(src, nextS), HASH_MUL) >>> shift;
      if (load32(src, s) === load32(src, candidate)) break;
    }
    d = emitLiteral(dst, d, src, nextEmit, s);
    // Emit copies as long as the next position matches too.
    for (;;) {
      const base = s;
      s += 4;
      for (let i = candidate + 4; s < end && src[i] === src[s]; i++) s++;
      d = emitCopy(dst, d, base - candidate, s - base);
      nextEmit = s;
      if (s >= sLimit) return nextEmit < end ? emitLiteral(dst, d, src, nextEmit, end) : d;
      table[Math.imul(load32(src, s - 1), HASH_MUL) >>> shift] = s - 1;
      const current = load32(src, s);
      const h = Math.imul(current, HASH_MUL) >>> shift;
      candidate = start + table[h]!;
      table[h] = s;
      if (current !== load32(src, candidate)) {
        nextHash = Math.imul(load32(src, s + 1), HASH_MUL) >>> shift;
        s++;
        break;
      }
    }
  }
}

/**
 * Compresses `src` as one snappy block stream: uvarint length, then 64 KiB blocks. Writes into `into`
 * (at least snappyMaxEncodedLength bytes) when given, else into a new array; returns the used part.
 */
export function snappyEncode(src: Uint8Array, into?: Uint8Array): Uint8Array {
  const dst = into ?? new Uint8Array(snappyMaxEncodedLength(src.length));
  let d = 0;
  for (let n = src.length; ; n = Math.floor(n / 128)) {
    if (n < 0x80) {
      dst[d++] = n;
      break;
    }
    dst[d++] = (n & 0x7f) | 0x80;
  }
  for (let start = 0; start < src.length; start += BLOCK_SIZE) {
    const end = Math.min(src.length, start + BLOCK_SIZE);
    d =
      // Stryker disable next-line ArithmeticOperator: only a last block can be this short, and encodeBlock emits the same literal for it
      end - start < MIN_NON_LITERAL_BLOCK
        ? emitLiteral(dst, d, src, start, end)
        : encodeBlock(dst, d, src, start, end);
  }
  return dst.subarray(0, d);
}
