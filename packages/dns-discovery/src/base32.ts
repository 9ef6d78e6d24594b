import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/**
 * RFC 4648 base32 (upper-case alphabet) without padding: EIP-1459 child names and the key in `enrtree://`
 * URLs. Decoding accepts the upper-case alphabet only, no padding, no impossible length and, unless told
 * otherwise, zero unused bits in the last character (so every byte string has exactly one text form).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DECODE_TABLE = new Int8Array(128).fill(-1);
for (const [i, char] of [...ALPHABET].entries()) DECODE_TABLE[char.charCodeAt(0)] = i;

/** Text lengths mod 8 that no byte string encodes to. */
const IMPOSSIBLE_TAILS = new Set([1, 3, 6]);

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let count = 0;
  for (const byte of bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    // Stryker disable next-line EqualityOperator: five bits left over come out unchanged with the next byte or as the last character
    while (count >= 5) {
      count -= 5;
      out += ALPHABET[(bits >> count) & 31];
    }
    bits &= (1 << count) - 1;
  }
  if (count > 0) out += ALPHABET[(bits << (5 - count)) & 31];
  return out;
}

function invalid(message: string, details: Record<string, unknown> = {}): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.BadRecord, `base32: ${message}`, { details });
}

/** Length in bytes of the data a base32 text of `length` characters holds (no validation). */
export function base32DecodedLength(length: number): number {
  return Math.floor((length * 5) / 8);
}

export interface Base32DecodeOptions {
  /**
   * Reject non-zero unused bits in the last character (default true). go-ethereum decodes child hashes
   * and URL keys without this check, and the EIP-1459 parser cases rely on it, so the tree code passes false.
   */
  strict?: boolean;
}

export function base32Decode(text: string, options: Base32DecodeOptions = {}): Uint8Array {
  if (IMPOSSIBLE_TAILS.has(text.length % 8)) throw invalid(`impossible length ${text.length}`);
  const out = new Uint8Array(base32DecodedLength(text.length));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : -1;
    if (value < 0) throw invalid(`illegal character at position ${i}`, { position: i });
    bits = (bits << 5) | value;
    count += 5;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
      bits &= (1 << count) - 1;
    }
  }
  if (bits !== 0 && options.strict !== false) throw invalid('non-zero unused bits in the last character');
  return out;
}
