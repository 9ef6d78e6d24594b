import { bigIntToBytes, utf8ToBytes } from '@status-ts/core';
import { RlpError, RlpErrorCode } from '../errors.js';
import { RLP_DEFAULT_MAX_DEPTH } from './limits.js';

/** An already-encoded RLP item, written verbatim by `rlpEncode` (the caller vouches for its validity). */
export class RlpRaw {
  constructor(readonly encoded: Uint8Array) {}
}

/** Wraps bytes that already are one RLP item, so `rlpEncode` embeds them without re-encoding. */
export function rlpRaw(encoded: Uint8Array): RlpRaw {
  return new RlpRaw(encoded);
}

/**
 * What `rlpEncode` accepts:
 * - `Uint8Array`: a byte string, as is;
 * - `number` (non-negative safe integer) and `bigint` (non-negative): minimal big-endian bytes, so 0 is the
 *   empty string `0x80`, 127 is `0x7f`, 128 is `0x81 0x80`;
 * - `string`: its UTF-8 bytes (never parsed as hex or as a number);
 * - `boolean`: `false` is 0 (`0x80`), `true` is 1 (`0x01`), as go-ethereum encodes bools;
 * - `RlpRaw`: pre-encoded bytes, embedded verbatim;
 * - an array: a list of any of these.
 */
export type RlpInput = Uint8Array | number | bigint | string | boolean | RlpRaw | readonly RlpInput[];

export interface RlpEncodeOptions {
  /** Deepest list nesting accepted (default `RLP_DEFAULT_MAX_DEPTH`); also stops cyclic arrays. */
  maxDepth?: number;
}

const EMPTY = new Uint8Array(0);
const ONE = Uint8Array.of(1);

function invalidInput(message: string): RlpError {
  return new RlpError(RlpErrorCode.InvalidInput, message);
}

function numberToMinimalBytes(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(`cannot encode ${value}: numbers must be non-negative safe integers`);
  }
  let length = 0;
  for (let v = value; v > 0; v = Math.floor(v / 256)) length++;
  const out = new Uint8Array(length);
  for (let i = length - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}

function leafBytes(input: Exclude<RlpInput, readonly RlpInput[] | RlpRaw>): Uint8Array {
  if (input instanceof Uint8Array) return input;
  switch (typeof input) {
    case 'number':
      return numberToMinimalBytes(input);
    case 'bigint':
      if (input < 0n) throw invalidInput('cannot encode a negative bigint');
      return bigIntToBytes(input);
    case 'string':
      return utf8ToBytes(input);
    case 'boolean':
      return input ? ONE : EMPTY;
    default:
      throw invalidInput(`cannot encode a value of type ${typeof input}`);
  }
}

/** Bytes needed to write `length` big-endian (length > 0). */
function lengthOfLength(length: number): number {
  let n = 0;
  for (let v = length; v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

function headerLength(payloadLength: number): number {
  return payloadLength < 56 ? 1 : 1 + lengthOfLength(payloadLength);
}

function writeHeader(out: Uint8Array, pos: number, payloadLength: number, base: 0x80 | 0xc0): number {
  if (payloadLength < 56) {
    out[pos] = base + payloadLength;
    return pos + 1;
  }
  const n = lengthOfLength(payloadLength);
  out[pos] = base + 55 + n;
  for (let i = n, v = payloadLength; i >= 1; i--, v = Math.floor(v / 256)) out[pos + i] = v % 256;
  return pos + 1 + n;
}

/** The header of a list whose items take `payloadLength` bytes: prepend it to pre-encoded items. */
export function rlpListHeader(payloadLength: number): Uint8Array {
  if (!Number.isSafeInteger(payloadLength) || payloadLength < 0) {
    throw invalidInput(`invalid list payload length ${payloadLength}`);
  }
  const out = new Uint8Array(headerLength(payloadLength));
  writeHeader(out, 0, payloadLength, 0xc0);
  return out;
}

/**
 * Encoding runs in two passes over the input: `measure` converts leaves once and records every list's payload
 * length (pre-order), then `write` fills one exactly sized buffer. No intermediate concatenation.
 */
interface Plan {
  listLengths: number[];
  leaves: Uint8Array[];
  maxDepth: number;
}

function measure(input: RlpInput, depth: number, plan: Plan): number {
  if (Array.isArray(input)) {
    if (depth >= plan.maxDepth) {
      throw new RlpError(RlpErrorCode.TooDeep, `list nesting exceeds ${plan.maxDepth}`, {
        details: { maxDepth: plan.maxDepth },
      });
    }
    const index = plan.listLengths.length;
    plan.listLengths.push(0);
    let payload = 0;
    for (const child of input as readonly RlpInput[]) payload += measure(child, depth + 1, plan);
    plan.listLengths[index] = payload;
    return headerLength(payload) + payload;
  }
  if (input instanceof RlpRaw) return input.encoded.length;
  const bytes = leafBytes(input as Exclude<RlpInput, readonly RlpInput[] | RlpRaw>);
  plan.leaves.push(bytes);
  if (bytes.length === 1 && bytes[0]! < 0x80) return 1;
  return headerLength(bytes.length) + bytes.length;
}

interface Cursor {
  pos: number;
  list: number;
  leaf: number;
}

function write(input: RlpInput, out: Uint8Array, plan: Plan, cursor: Cursor): void {
  if (Array.isArray(input)) {
    cursor.pos = writeHeader(out, cursor.pos, plan.listLengths[cursor.list++]!, 0xc0);
    for (const child of input as readonly RlpInput[]) write(child, out, plan, cursor);
    return;
  }
  if (input instanceof RlpRaw) {
    out.set(input.encoded, cursor.pos);
    cursor.pos += input.encoded.length;
    return;
  }
  const bytes = plan.leaves[cursor.leaf++]!;
  if (bytes.length === 1 && bytes[0]! < 0x80) {
    out[cursor.pos++] = bytes[0]!;
    return;
  }
  cursor.pos = writeHeader(out, cursor.pos, bytes.length, 0x80);
  out.set(bytes, cursor.pos);
  cursor.pos += bytes.length;
}

/** RLP-encodes `input` (see `RlpInput` for how each JavaScript type maps to bytes). */
export function rlpEncode(input: RlpInput, options: RlpEncodeOptions = {}): Uint8Array {
  const plan: Plan = { listLengths: [], leaves: [], maxDepth: options.maxDepth ?? RLP_DEFAULT_MAX_DEPTH };
  const out = new Uint8Array(measure(input, 0, plan));
  write(input, out, plan, { pos: 0, list: 0, leaf: 0 });
  return out;
}
