import { CoreErrorCode, StatusTsError } from './errors.js';

const HEX_ALPHABET = '0123456789abcdef';
const HEX_PAIRS: string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_ALPHABET[i >> 4]! + HEX_ALPHABET[i & 15]!,
);

/** Lowercase hex without prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!];
  return out;
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Parses hex with or without a `0x` prefix; throws ERR_INVALID_HEX on odd length or bad digits. */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) throw new StatusTsError(CoreErrorCode.InvalidHex, 'hex string has odd length');
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(body.charCodeAt(2 * i));
    const lo = hexNibble(body.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0)
      throw new StatusTsError(CoreErrorCode.InvalidHex, `invalid hex digit near offset ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Plain equality; fast exit on the first difference. Use `constantTimeEqual` for secrets and MACs. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Equality whose running time depends only on the lengths, for MACs, tags and secrets. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Bytewise comparison: negative, zero or positive like `Array.prototype.sort` expects. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) {
    throw new StatusTsError(
      CoreErrorCode.InvalidLength,
      `xor of unequal lengths ${a.length} and ${b.length}`,
    );
  }
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

const textEncoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is text like any other (the default decoder would drop it silently).
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8ToBytes(text: string): Uint8Array {
  return textEncoder.encode(text);
}

/** Strict UTF-8 decode: invalid sequences throw ERR_INVALID_UTF8 instead of becoming U+FFFD. */
export function bytesToUtf8(bytes: Uint8Array): string {
  try {
    return textDecoder.decode(bytes);
  } catch (cause) {
    // The platform's TypeError becomes a typed error, as every decoder of the stack promises.
    throw new StatusTsError(CoreErrorCode.InvalidUtf8, 'invalid UTF-8', {
      cause,
      details: { length: bytes.length },
    });
  }
}

/** Big-endian unsigned integer of any length to bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** Minimal big-endian bytes (zero is empty), or left-padded to `length` when given. */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new StatusTsError(CoreErrorCode.InvalidLength, 'negative integers have no byte form');
  let hex = value === 0n ? '' : value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const minimal = hexToBytes(hex);
  if (length === undefined) return minimal;
  if (minimal.length > length) {
    throw new StatusTsError(
      CoreErrorCode.InvalidLength,
      `integer needs ${minimal.length} bytes, more than ${length}`,
    );
  }
  const out = new Uint8Array(length);
  out.set(minimal, length - minimal.length);
  return out;
}

/** Big-endian unsigned number (up to 2^53 - 1) from bytes. */
export function bytesToNumber(bytes: Uint8Array): number {
  const value = bytesToBigInt(bytes);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new StatusTsError(CoreErrorCode.InvalidLength, 'integer exceeds Number.MAX_SAFE_INTEGER');
  }
  return Number(value);
}

/** Minimal big-endian bytes of a non-negative safe integer, or left-padded to `length`. */
export function numberToBytes(value: number, length?: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StatusTsError(CoreErrorCode.InvalidLength, `not a non-negative safe integer: ${value}`);
  }
  return bigIntToBytes(BigInt(value), length);
}

/** A view of `bytes` as a fresh, tightly sized copy (detaches from a larger backing buffer). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
