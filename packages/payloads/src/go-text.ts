import { utf8ToBytes } from '@status-ts/core';
import { PayloadError, PayloadErrorCode } from './errors.js';

// status-go checks a few strings with Go library functions whose rules differ from JavaScript's nearest
// equivalents (String.prototype.trim, Number, a UUID regex). A receiver that used those would accept or
// refuse other messages than status-go does, so the rules are restated here from the Go documentation.

// Go's unicode.IsSpace: the Latin-1 spaces (with U+0085 NEL, which JS trim() keeps) and the
// White_Space characters above Latin-1 (without U+FEFF, which JS trim() removes).
const GO_SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** True when Go's `len(strings.TrimSpace(s)) == 0`: `s` is empty or only Go white space. */
export function isGoBlank(s: string): boolean {
  for (const char of s) {
    if (!GO_SPACES.has(char.codePointAt(0)!)) return false;
  }
  return true;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

function isHexByte(byte: number | undefined): boolean {
  return byte !== undefined && hexValue(byte) >= 0;
}

// Offsets of the 32 hex digits in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
const CANONICAL_DIGITS = [
  0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32,
  33, 34, 35,
];
const URN_PREFIX = 'urn:uuid:';

/**
 * True when github.com/google/uuid's Parse (the version status-go v0.62.0 vendors) accepts `s`. It
 * works on UTF-8 bytes and takes four forms by length: 36 (`8-4-4-4-12` hex, any case), 45 (`urn:uuid:`
 * in any case, then the 36 form), 38 (the 36 form between two bytes it never looks at, meant to be
 * braces) and 32 (bare hex). The version and variant bits are not checked.
 */
export function isGoUuid(s: string): boolean {
  const bytes = utf8ToBytes(s);
  let start = 0;
  switch (bytes.length) {
    case 32:
      return bytes.every((byte) => hexValue(byte) >= 0);
    case 36:
      break;
    case 36 + 2:
      start = 1;
      break;
    case 36 + URN_PREFIX.length:
      for (let i = 0; i < URN_PREFIX.length; i++) {
        const byte = bytes[i]!;
        // ASCII lower-casing is enough: no other byte sequence lower-cases to these letters.
        const lower = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
        if (lower !== URN_PREFIX.charCodeAt(i)) return false;
      }
      start = URN_PREFIX.length;
      break;
    default:
      return false;
  }
  for (const dash of [8, 13, 18, 23]) {
    if (bytes[start + dash] !== 0x2d) return false;
  }
  return CANONICAL_DIGITS.every((offset) => isHexByte(bytes[start + offset]));
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function asciiLower(c: string | undefined): string | undefined {
  return c !== undefined && c >= 'A' && c <= 'Z' ? String.fromCharCode(c.charCodeAt(0) | 0x20) : c;
}

const SPECIAL_FLOATS = new Set(['nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/**
 * Go's underscore rule for number literals: an underscore only between two digits, or between a base
 * prefix and a digit.
 */
function underscoresAllowed(s: string, hex: boolean): boolean {
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  // 'd' a digit or the base prefix, '_' an underscore, '^' the start, '!' anything else.
  let saw = '^';
  if (hex) {
    i += 2;
    saw = 'd';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (isDigit(c) || (hex && hexValue(c.charCodeAt(0)) >= 0)) {
      saw = 'd';
    } else if (c === '_') {
      if (saw !== 'd') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

// Go stops accumulating a decimal exponent once it reaches 10000: the digits after that are read but
// ignored, which decides whether some absurd literals overflow.
const GO_EXPONENT_SATURATION = 10_000;

/** The largest finite double is below 2^1024. */
const MAX_BINARY_EXPONENT = 1023;
const DOUBLE_PRECISION_BITS = 53;

/** True when mantissa * 2^exponent, rounded to a double (nearest, ties to even), is finite. */
function hexFloatIsFinite(mantissa: bigint, exponent: number): boolean {
  if (mantissa === 0n) return true;
  const bits = mantissa.toString(2).length;
  const top = bits - 1 + exponent;
  if (top < MAX_BINARY_EXPONENT) return true;
  if (top > MAX_BINARY_EXPONENT) return false;
  if (bits <= DOUBLE_PRECISION_BITS) return true;
  const shift = BigInt(bits - DOUBLE_PRECISION_BITS);
  const kept = mantissa >> shift;
  const rest = mantissa & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  const roundsUp = rest > half || (rest === half && (kept & 1n) === 1n);
  // Rounding up carries out of 53 bits only from all ones, which lands on 2^1024.
  return !(roundsUp && kept + 1n === 1n << BigInt(DOUBLE_PRECISION_BITS));
}

/**
 * True when Go's `strconv.ParseFloat(s, 64)` returns no error (status-go's check of transaction
 * values). Go accepts the syntax of its float literals: an optional sign, decimal digits with an optional
 * point and `e` exponent, or `0x` hex digits with a mandatory `p` exponent, underscores between digits,
 * plus `inf`, `infinity` (signed or not) and `nan` in any case. Nothing else, no surrounding space. A
 * value too large for a double is an error (ErrRange); one too small rounds to 0 without error.
 */
export function goParsesFloat64(s: string): boolean {
  if (s.length <= '+infinity'.length && SPECIAL_FLOATS.has([...s].map(asciiLower).join(''))) return true;
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  let hex = false;
  if (i + 2 < s.length && s[i] === '0' && asciiLower(s[i + 1]) === 'x') {
    hex = true;
    i += 2;
  }
  let mantissaDigits = '';
  let fractionDigits = 0;
  let sawDot = false;
  let sawDigits = false;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') {
      underscores = true;
    } else if (c === '.') {
      if (sawDot) break;
      sawDot = true;
    } else if (isDigit(c) || (hex && hexValue(c.charCodeAt(0)) >= 0)) {
      sawDigits = true;
      mantissaDigits += c;
      if (sawDot) fractionDigits++;
    } else {
      break;
    }
  }
  if (!sawDigits) return false;
  let exponent = 0;
  if (asciiLower(s[i]) === (hex ? 'p' : 'e')) {
    i++;
    let exponentSign = 1;
    if (s[i] === '+' || s[i] === '-') {
      if (s[i] === '-') exponentSign = -1;
      i++;
    }
    if (!isDigit(s[i])) return false;
    for (; i < s.length && (isDigit(s[i]) || s[i] === '_'); i++) {
      if (s[i] === '_') underscores = true;
      else if (exponent < GO_EXPONENT_SATURATION) exponent = exponent * 10 + Number(s[i]);
    }
    exponent *= exponentSign;
  } else if (hex) {
    return false;
  }
  if (i !== s.length) return false;
  if (underscores && !underscoresAllowed(s, hex)) return false;
  if (hex) return hexFloatIsFinite(BigInt(`0x${mantissaDigits}`), exponent - 4 * fractionDigits);
  // Decimal: JavaScript's Number rounds to nearest like Go, so the literal overflows in Go exactly when
  // its digits with Go's (saturated) exponent give Infinity here.
  const digits =
    fractionDigits > 0
      ? `${mantissaDigits.slice(0, -fractionDigits)}.${mantissaDigits.slice(-fractionDigits)}`
      : mantissaDigits;
  return Number.isFinite(Number(`${digits}e${exponent}`));
}

/** Number of Unicode code points (Go's `len([]rune(s))`; a lone surrogate counts one, as Go's U+FFFD). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Length of `text` in UTF-8 bytes (Go's `len(s)`), without allocating the encoding. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// A lone surrogate, the one thing a JS string can hold that UTF-8 cannot.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` holds a lone surrogate, so it has no UTF-8 form. */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/**
 * ERR_PAYLOAD_INVALID_ARGUMENT unless `value` is a well-formed string. protobuf's encoder would replace a
 * lone surrogate with U+FFFD, so the receiver would read another string than the one we meant (and an
 * id or signature over it would differ): we refuse instead.
 */
export function checkText(value: string, field: string): void {
  if (typeof value !== 'string' || hasLoneSurrogate(value)) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, `${field} must be a well-formed string`, {
      details: { field },
    });
  }
}

/** checkText for every entry of a list. */
export function checkTexts(values: readonly string[], field: string): void {
  for (const value of values) checkText(value, field);
}
