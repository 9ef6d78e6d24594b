import {
  type BytesCoder,
  base16,
  base32nopad,
  base58,
  base64,
  base64nopad,
  base64url,
  base64urlnopad,
} from '@scure/base';
import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { IdentityError, IdentityErrorCode } from './errors.js';
import { decodeUvarint, encodeUvarint } from './varint.js';

/** multicodec `secp256k1-pub`; written as the uvarint `e7 01` before the key (account spec, CRY-10). */
export const SECP256K1_PUB_MULTICODEC = 0xe7;
/** Longest key text looked at: the longest accepted form (uncompressed key in base16) has 135 characters. */
export const MAX_KEY_TEXT_LENGTH = 256;

/**
 * multibase prefixes we read and write: base58btc (`z`, the compact form Status shows), base16 (`f`/`F`),
 * base32 (`b`/`B`, no padding), base64 (`m` without, `M` with padding), base64url (`u` without, `U` with).
 * On input, `0x` is read as `f` (the account spec's recommendation).
 */
export type MultibaseEncoding = 'z' | 'f' | 'F' | 'b' | 'B' | 'm' | 'M' | 'u' | 'U';

const lowerHex: BytesCoder = {
  encode: (bytes) => bytesToHex(bytes),
  decode: (text) => {
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error('invalid base16 text');
    return hexToBytes(text);
  },
};

const caseInsensitive = (coder: BytesCoder, lower: boolean): BytesCoder => ({
  encode: (bytes) => (lower ? coder.encode(bytes).toLowerCase() : coder.encode(bytes)),
  decode: (text) => coder.decode(text.toUpperCase()),
});

const CODERS: Record<MultibaseEncoding, BytesCoder> = {
  z: base58,
  f: lowerHex,
  F: { encode: (bytes) => base16.encode(bytes), decode: lowerHex.decode },
  b: caseInsensitive(base32nopad, true),
  B: caseInsensitive(base32nopad, false),
  m: base64nopad,
  M: base64,
  u: base64urlnopad,
  U: base64url,
};

function invalid(message: string, cause?: unknown, details?: Record<string, unknown>): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidKeyText, message, { cause, details });
}

export type PublicKeyTextForm = 'compressed' | 'uncompressed';

/** `0x04…` (65 bytes, what Status stores) or `0x02…`/`0x03…` (33 bytes) hex of a public key in any form. */
export function publicKeyToHex(publicKey: Uint8Array, form: PublicKeyTextForm = 'uncompressed'): string {
  return `0x${bytesToHex(convertPublicKey(publicKey, form))}`;
}

export interface MultibaseKeyOptions {
  /** Defaults to `z` (base58btc), giving the `zQ3sh…` keys Status displays. */
  encoding?: MultibaseEncoding;
  /** Defaults to `compressed` (33-byte key), as Status does; `uncompressed` writes the 65-byte key. */
  form?: PublicKeyTextForm;
}

/** multibase(`e7 01` || key): the self-describing key text of the account spec, `zQ3sh…` by default. */
export function publicKeyToMultibase(publicKey: Uint8Array, options: MultibaseKeyOptions = {}): string {
  const encoding = options.encoding ?? 'z';
  if (!Object.hasOwn(CODERS, encoding))
    throw invalid(
      `unsupported multibase encoding '${encoding}' (one of ${Object.keys(CODERS).join(', ')})`,
      undefined,
      { encoding },
    );
  const key = convertPublicKey(publicKey, options.form ?? 'compressed');
  return encoding + CODERS[encoding].encode(concatBytes(encodeUvarint(SECP256K1_PUB_MULTICODEC), key));
}

export interface ParseKeyTextOptions {
  /** Overrides MAX_KEY_TEXT_LENGTH. */
  maxLength?: number;
}

const PLAIN_HEX_KEY = /^(0x)?(0[23][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/;
/** Looks like a plain hex key (multicodec text never starts with 02/03/04), whatever its length. */
const HEX_KEY_LIKE = /^(0x)?0[234][0-9a-fA-F]*$/;

/** The multibase spec's names, for messages. */
const ENCODING_NAMES: Record<MultibaseEncoding, string> = {
  z: 'base58btc',
  f: 'base16',
  F: 'base16upper',
  b: 'base32',
  B: 'base32upper',
  m: 'base64',
  M: 'base64pad',
  u: 'base64url',
  U: 'base64urlpad',
};

/** Public key multicodecs other than secp256k1: real keys of a type we do not read (not garbage). */
const OTHER_KEY_TYPES: ReadonlyMap<number, string> = new Map([
  [0xea, 'bls12_381-g1-pub'],
  [0xeb, 'bls12_381-g2-pub'],
  [0xec, 'x25519-pub'],
  [0xed, 'ed25519-pub'],
  [0xee, 'bls12_381-g1g2-pub'],
  [0x1200, 'p256-pub'],
  [0x1201, 'p384-pub'],
  [0x1202, 'p521-pub'],
  [0x1203, 'ed448-pub'],
  [0x1204, 'x448-pub'],
  [0x1205, 'rsa-pub'],
]);

/** The text as quoted in messages: long inputs cut short. */
function quoted(text: string): string {
  return `'${text.length > 72 ? `${text.slice(0, 71)}…` : text}'`;
}

/** `<encoding> text '<text>' is not a valid key: <reason>`, the shape of every multibase refusal. */
function notAKey(
  encoding: string,
  text: string,
  reason: string,
  cause?: unknown,
  details?: Record<string, unknown>,
): IdentityError {
  return invalid(`${encoding} text ${quoted(text)} is not a valid key: ${reason}`, cause, details);
}

function decodeMultibase(text: string): { bytes: Uint8Array; encoding: string } {
  const hexPrefixed = text.startsWith('0x');
  const body = hexPrefixed ? `f${text.slice(2)}` : text;
  const prefix = body.slice(0, 1);
  if (!Object.hasOwn(CODERS, prefix)) {
    throw invalid(
      `key text ${quoted(text)} is neither a hex key (0x04…, 0x02…/0x03…) nor multibase: '${prefix}' is no supported multibase prefix`,
      undefined,
      { prefix },
    );
  }
  const encoding = hexPrefixed ? 'hex' : ENCODING_NAMES[prefix as MultibaseEncoding];
  try {
    return { bytes: CODERS[prefix as MultibaseEncoding].decode(body.slice(1)), encoding };
  } catch (cause) {
    throw notAKey(encoding, text, `not valid ${encoding}`, cause);
  }
}

/**
 * Reads every public key text form Status uses and returns the 65-byte uncompressed key:
 * plain hex (`0x04…`, `0x02…`/`0x03…`, with or without `0x`), and multibase multicodec keys such as
 * `zQ3sh…`, `fe70102…` or `0xe70102…`, holding a compressed or an uncompressed secp256k1 key.
 * Throws ERR_IDENTITY_INVALID_KEY_TEXT (the message names the encoding, the text and what is wrong), or
 * ERR_IDENTITY_UNSUPPORTED_KEY_TYPE for a public key of another multicodec type such as BLS12-381
 * (0xea/0xeb, which status-go also reads; we do not).
 */
export function parsePublicKey(text: string, options: ParseKeyTextOptions = {}): Uint8Array {
  if (typeof text !== 'string') throw invalid('key text must be a string');
  const max = options.maxLength ?? MAX_KEY_TEXT_LENGTH;
  if (text.length > max)
    throw invalid(`key text longer than ${max} characters`, undefined, { length: text.length });
  if (text.length === 0) throw invalid('key text is empty');
  let key: Uint8Array;
  let encoding: string;
  if (PLAIN_HEX_KEY.test(text)) {
    key = hexToBytes(text);
    encoding = 'hex';
  } else if (HEX_KEY_LIKE.test(text)) {
    const bytes = (text.length - (text.startsWith('0x') ? 2 : 0)) / 2;
    throw invalid(`hex public key must be 33 (02/03…) or 65 (04…) bytes, got ${bytes}`, undefined, {
      length: bytes,
    });
  } else {
    const decoded = decodeMultibase(text);
    encoding = decoded.encoding;
    const code = decodeUvarint(decoded.bytes);
    if (code === undefined) {
      throw notAKey(encoding, text, 'no multicodec key type (missing, or not a minimal varint)');
    }
    if (code.value !== SECP256K1_PUB_MULTICODEC) {
      const hex = `0x${code.value.toString(16)}`;
      const otherType = OTHER_KEY_TYPES.get(code.value);
      if (otherType === undefined) {
        throw notAKey(
          encoding,
          text,
          `it starts with multicodec ${hex}, which is no public key type (want 0xe7, secp256k1-pub)`,
          undefined,
          { multicodec: code.value },
        );
      }
      throw new IdentityError(
        IdentityErrorCode.UnsupportedKeyType,
        `unsupported key type ${otherType} (multicodec ${hex}): only secp256k1 keys are read`,
        { details: { keyType: code.value } },
      );
    }
    key = decoded.bytes.subarray(code.length);
    if (key.length !== 33 && key.length !== 65) {
      throw notAKey(encoding, text, `a secp256k1 key is 33 or 65 bytes, got ${key.length}`, undefined, {
        length: key.length,
      });
    }
  }
  try {
    return convertPublicKey(key, 'uncompressed');
  } catch (cause) {
    throw notAKey(encoding, text, 'not a point on secp256k1', cause);
  }
}

/** Any accepted key text to its compact multibase form (`zQ3sh…` by default); like status-go's SerializeLegacyKey. */
export function compressPublicKeyText(text: string, encoding: MultibaseEncoding = 'z'): string {
  return publicKeyToMultibase(parsePublicKey(text), { encoding });
}

/** Any accepted key text to `0x04…`; like status-go's DeserializeCompressedKey. */
export function decompressPublicKeyText(text: string): string {
  return publicKeyToHex(parsePublicKey(text));
}

/** Display form of a compressed key: first 8 characters, `…`, last 5 (status-go ShortenedCompressedKey). */
export function shortenCompressedKey(compressedKey: string): string {
  if (compressedKey.length <= 12) return compressedKey;
  return `${compressedKey.slice(0, 8)}…${compressedKey.slice(-5)}`;
}
