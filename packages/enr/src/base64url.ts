import { EnrError, EnrErrorCode } from './errors.js';

/** URL-safe base64 without padding (RFC 4648 section 5), the alphabet of ENR text and EIP-1459 entries. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE_TABLE = new Int8Array(128).fill(-1);
[...ALPHABET].forEach((char, i) => {
  DECODE_TABLE[char.charCodeAt(0)] = i;
});

export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

function invalid(message: string, position?: number): EnrError {
  return new EnrError(EnrErrorCode.InvalidBase64, message, {
    details: position === undefined ? {} : { position },
  });
}

/**
 * Strict decode: only the URL-safe alphabet, no padding or whitespace, no impossible length (4n+1), and the
 * unused low bits of the last character must be zero, so every byte string has exactly one text form.
 */
export function base64UrlDecode(text: string): Uint8Array {
  const tail = text.length % 4;
  if (tail === 1) throw invalid(`impossible base64 length ${text.length}`);
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : -1;
    if (value < 0) throw invalid(`illegal base64 character at position ${i}`, i);
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
      bits &= (1 << count) - 1;
    }
  }
  if (bits !== 0) throw invalid('non-zero trailing bits in the last base64 character', text.length - 1);
  return out;
}
