import { RlpError, RlpErrorCode } from '../errors.js';
import { RLP_DEFAULT_MAX_DEPTH, RLP_DEFAULT_MAX_ITEMS } from './limits.js';

/** A decoded RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

export interface RlpDecodeOptions {
  /** Accept bytes after the first item (ignored by `rlpDecode`, returned by `rlpDecodeFirst`). Default false. */
  allowTrailing?: boolean;
  /** Deepest list nesting accepted; default `RLP_DEFAULT_MAX_DEPTH`. */
  maxDepth?: number;
  /** Most items (byte strings and lists) accepted; default `RLP_DEFAULT_MAX_ITEMS`. */
  maxItems?: number;
}

/** Where one item sits in its input. */
export interface RlpHeader {
  isList: boolean;
  /** Offset of the first payload byte (equals the item's offset for a single byte < 0x80). */
  payloadOffset: number;
  payloadLength: number;
  /** Offset just past the item. */
  end: number;
}

// readHeader leaves its result here, so the decode loop allocates nothing but the items it returns.
// Stryker disable next-line BooleanLiteral: readHeader sets it before every read.
let headerIsList = false;
let headerStart = 0;
let headerEnd = 0;

function truncated(message: string, at: number): RlpError {
  return new RlpError(RlpErrorCode.Truncated, message, { details: { offset: at } });
}

function nonCanonical(message: string, at: number): RlpError {
  return new RlpError(RlpErrorCode.NonCanonical, message, { details: { offset: at } });
}

function readLongLength(bytes: Uint8Array, pos: number, end: number, lengthOfLength: number): void {
  const start = pos + 1 + lengthOfLength;
  if (start > end) throw truncated('length prefix runs past the end', pos);
  if (bytes[pos + 1] === 0) throw nonCanonical('length prefix has leading zero bytes', pos);
  let length = 0;
  for (let i = pos + 1; i < start; i++) length = length * 256 + bytes[i]!;
  if (length < 56) throw nonCanonical(`long-form length ${length} where the short form is required`, pos);
  if (length > end - start) throw truncated(`item of ${length} bytes runs past the end`, pos);
  headerStart = start;
  headerEnd = start + length;
}

/** Reads the header at `pos` of an item that must end by `end`; strict about canonical form. */
function readHeader(bytes: Uint8Array, pos: number, end: number): void {
  if (pos >= end) throw truncated('unexpected end of input', pos);
  const prefix = bytes[pos]!;
  if (prefix < 0x80) {
    headerIsList = false;
    headerStart = pos;
    headerEnd = pos + 1;
  } else if (prefix < 0xb8) {
    const length = prefix - 0x80;
    if (length > end - pos - 1) throw truncated(`string of ${length} bytes runs past the end`, pos);
    if (length === 1 && bytes[pos + 1]! < 0x80) {
      throw nonCanonical('single byte below 0x80 must not be wrapped as a string', pos);
    }
    headerIsList = false;
    headerStart = pos + 1;
    headerEnd = pos + 1 + length;
  } else if (prefix < 0xc0) {
    readLongLength(bytes, pos, end, prefix - 0xb7);
    headerIsList = false;
  } else if (prefix < 0xf8) {
    const length = prefix - 0xc0;
    if (length > end - pos - 1) throw truncated(`list of ${length} bytes runs past the end`, pos);
    headerIsList = true;
    headerStart = pos + 1;
    headerEnd = pos + 1 + length;
  } else {
    readLongLength(bytes, pos, end, prefix - 0xf7);
    headerIsList = true;
  }
}

/** Reads (and checks) the header of the item at `offset` without decoding its payload. */
export function rlpDecodeHeader(bytes: Uint8Array, offset = 0): RlpHeader {
  readHeader(bytes, offset, bytes.length);
  return {
    isList: headerIsList,
    payloadOffset: headerStart,
    payloadLength: headerEnd - headerStart,
    end: headerEnd,
  };
}

function tooDeep(maxDepth: number, at: number): RlpError {
  return new RlpError(RlpErrorCode.TooDeep, `list nesting exceeds ${maxDepth}`, {
    details: { maxDepth, offset: at },
  });
}

function tooMany(maxItems: number, at: number): RlpError {
  return new RlpError(RlpErrorCode.TooManyItems, `more than ${maxItems} items`, {
    details: { maxItems, offset: at },
  });
}

/**
 * Decodes the item at the start of `bytes` iteratively (an explicit stack, so hostile nesting can never
 * overflow the call stack). Byte strings are views (`subarray`) into `bytes`, not copies.
 */
function decodeItem(bytes: Uint8Array, options: RlpDecodeOptions): { item: RlpItem; end: number } {
  const maxDepth = options.maxDepth ?? RLP_DEFAULT_MAX_DEPTH;
  const maxItems = options.maxItems ?? RLP_DEFAULT_MAX_ITEMS;
  readHeader(bytes, 0, bytes.length);
  if (maxItems < 1) throw tooMany(maxItems, 0);
  if (!headerIsList) return { item: bytes.subarray(headerStart, headerEnd), end: headerEnd };
  if (maxDepth < 1) throw tooDeep(maxDepth, 0);

  const root: RlpItem[] = [];
  const rootEnd = headerEnd;
  const lists: RlpItem[][] = [root];
  const ends: number[] = [rootEnd];
  let items = 1;
  let pos = headerStart;
  while (lists.length > 0) {
    const top = lists.length - 1;
    const listEnd = ends[top]!;
    if (pos === listEnd) {
      lists.pop();
      ends.pop();
      continue;
    }
    readHeader(bytes, pos, listEnd);
    if (++items > maxItems) throw tooMany(maxItems, pos);
    if (headerIsList) {
      if (lists.length >= maxDepth) throw tooDeep(maxDepth, pos);
      const child: RlpItem[] = [];
      lists[top]!.push(child);
      lists.push(child);
      ends.push(headerEnd);
      pos = headerStart;
    } else {
      lists[top]!.push(bytes.subarray(headerStart, headerEnd));
      pos = headerEnd;
    }
  }
  return { item: root, end: rootEnd };
}

/**
 * Strict RLP decode of exactly one item: non-canonical lengths, wrapped single bytes, lengths past the end and
 * (unless `allowTrailing`) trailing bytes throw `RlpError`. Byte strings in the result are views into `bytes`.
 */
export function rlpDecode(bytes: Uint8Array, options: RlpDecodeOptions = {}): RlpItem {
  const { item, end } = decodeItem(bytes, options);
  if (end !== bytes.length && options.allowTrailing !== true) {
    throw new RlpError(RlpErrorCode.Trailing, `${bytes.length - end} bytes after the RLP item`, {
      details: { consumed: end, length: bytes.length },
    });
  }
  return item;
}

/**
 * Decodes the first item of `bytes` and returns what follows it: for streams of items and for EIP-8
 * handshake bodies followed by padding.
 */
export function rlpDecodeFirst(
  bytes: Uint8Array,
  options: Omit<RlpDecodeOptions, 'allowTrailing'> = {},
): { item: RlpItem; consumed: number; rest: Uint8Array } {
  const { item, end } = decodeItem(bytes, options);
  return { item, consumed: end, rest: bytes.subarray(end) };
}
