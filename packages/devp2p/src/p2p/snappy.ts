import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import { snappyEncode, snappyMaxEncodedLength } from './snappy-encode.js';

// Snappy block format (EIP-706). Both directions are our own code, measured against snappyjs (the
// browser-friendly library the issue suggests): the decoder is strict where snappyjs neither bounds its
// output nor checks the length header (it silently accepts corrupt bodies go-ethereum rejects), and both
// are faster (bulk copies instead of byte loops; see the package benchmark). Tests decode everything we
// encode with snappyjs too.

function corrupt(what: string): Devp2pError {
  return new Devp2pError(Devp2pErrorCode.BadSnappy, `corrupt snappy body: ${what}`);
}

/** Reads the uvarint length header; returns [length, headerBytes]. */
function readLengthHeader(data: Uint8Array): [number, number] {
  let value = 0;
  const last = Math.min(data.length, 5);
  for (let i = 0; i < last; i++) {
    const byte = data[i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (value > 0xff_ff_ff_ff) throw corrupt('length header above 2^32 - 1');
      return [value, i + 1];
    }
  }
  throw corrupt('truncated length header');
}

/** The decompressed length a snappy body declares, read without inflating anything. */
export function snappyDecodedLength(data: Uint8Array): number {
  return readLengthHeader(data)[0];
}

/**
 * Decompresses a snappy block, checking the declared length against `maxLength` before allocating
 * (ERR_P2P_SNAPPY_TOO_LARGE) and every element against the input and output bounds (ERR_P2P_BAD_SNAPPY).
 */
export function snappyDecompress(data: Uint8Array, maxLength: number): Uint8Array {
  const [length, start] = readLengthHeader(data);
  if (length > maxLength) {
    throw new Devp2pError(
      Devp2pErrorCode.SnappyTooLarge,
      `snappy body declares ${length} bytes, limit is ${maxLength}`,
      { details: { length, limit: maxLength } },
    );
  }
  const out = new Uint8Array(length);
  const end = data.length;
  let pos = start;
  let outPos = 0;
  while (pos < end) {
    const tag = data[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > end) throw corrupt('truncated literal length');
        len = 0;
        for (let i = extra - 1; i >= 0; i--) len = len * 256 + data[pos + i]!;
        pos += extra;
      }
      len += 1;
      if (len > end - pos) throw corrupt('literal runs past the input');
      if (len > length - outPos) throw corrupt('literal runs past the declared length');
      // Stryker disable next-line ConditionalExpression,EqualityOperator: both branches copy the same bytes; 32 only picks the faster one
      if (len < 32) {
        for (let i = 0; i < len; i++) out[outPos++] = data[pos++]!;
      } else {
        out.set(data.subarray(pos, pos + len), outPos);
        pos += len;
        outPos += len;
      }
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw corrupt('truncated copy');
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | data[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > end) throw corrupt('truncated copy');
      len = 1 + (tag >>> 2);
      offset = data[pos]! | (data[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw corrupt('truncated copy');
      len = 1 + (tag >>> 2);
      offset = (data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) + data[pos + 3]! * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > outPos) throw corrupt('copy offset out of range');
    if (len > length - outPos) throw corrupt('copy runs past the declared length');
    if (offset < len) {
      // Overlapping: repeats the last `offset` bytes, each possibly written by this copy, so byte by byte.
      for (let i = 0; i < len; i++, outPos++) out[outPos] = out[outPos - offset]!;
      continue;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: both branches copy the same bytes; 32 only picks the faster one
    if (len < 32) {
      for (let i = 0; i < len; i++, outPos++) out[outPos] = out[outPos - offset]!;
    } else {
      out.copyWithin(outPos, outPos - offset, outPos - offset + len);
      outPos += len;
    }
  }
  if (outPos !== length) throw corrupt(`decoded ${outPos} bytes, header declared ${length}`);
  return out;
}

/** Compresses `data` in the snappy block format (EIP-706). */
export function snappyCompress(data: Uint8Array): Uint8Array {
  return snappyEncode(data);
}

const MAX_RETAINED_SCRATCH = 256 * 1024;
let scratch = new Uint8Array(0);

/**
 * Like snappyCompress, but the result is a view into a buffer that the next call overwrites: for the
 * send path, which copies it into the frame at once. Spares a message-sized allocation per send (up to
 * 256 KiB messages; larger ones get their own buffer).
 */
export function snappyCompressTransient(data: Uint8Array): Uint8Array {
  const need = snappyMaxEncodedLength(data.length);
  if (need > MAX_RETAINED_SCRATCH) return snappyEncode(data);
  if (scratch.length < need) {
    // Stryker disable next-line ArithmeticOperator: the growth factor only changes how often it reallocates
    const grown = Math.max(need, 2 * scratch.length);
    // Stryker disable next-line MethodExpression: need <= the cap here, so the cap only bounds retained memory
    scratch = new Uint8Array(Math.min(MAX_RETAINED_SCRATCH, grown));
  }
  return snappyEncode(data, scratch);
}
