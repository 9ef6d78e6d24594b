import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the RLP codec rejects. */
export const RlpErrorCode = {
  /** A length points past the end of the input or of the enclosing list (or the input is empty). */
  Truncated: 'ERR_RLP_TRUNCATED',
  /** A length prefix that is not the shortest form, or a single byte < 0x80 wrapped as a string. */
  NonCanonical: 'ERR_RLP_NON_CANONICAL',
  /** Bytes left after the item where the caller wants exactly one item. */
  Trailing: 'ERR_RLP_TRAILING',
  /** Lists nested deeper than the limit. */
  TooDeep: 'ERR_RLP_TOO_DEEP',
  /** More items (strings and lists) than the limit. */
  TooManyItems: 'ERR_RLP_TOO_MANY_ITEMS',
  /** A typed accessor wanted a byte string and found a list. */
  ExpectedBytes: 'ERR_RLP_EXPECTED_BYTES',
  /** A typed accessor wanted a list and found a byte string. */
  ExpectedList: 'ERR_RLP_EXPECTED_LIST',
  /** A byte string or list of the wrong length. */
  WrongLength: 'ERR_RLP_WRONG_LENGTH',
  /** An integer with leading zero bytes (integers must be minimal big-endian, zero is empty). */
  NonCanonicalInteger: 'ERR_RLP_NON_CANONICAL_INTEGER',
  /** An integer wider than the caller allows. */
  IntegerOverflow: 'ERR_RLP_INTEGER_OVERFLOW',
  /** A byte string that is not valid UTF-8 where text is expected. */
  InvalidUtf8: 'ERR_RLP_INVALID_UTF8',
  /** A value the encoder cannot represent (negative, fractional, unsafe number, unknown type). */
  InvalidInput: 'ERR_RLP_INVALID_INPUT',
} as const;
export type RlpErrorCode = (typeof RlpErrorCode)[keyof typeof RlpErrorCode];

/** Stable codes for ENR records, their text form and enode URLs. */
export const EnrErrorCode = {
  /** Encoded record larger than the limit (300 bytes by default), on encode or decode. */
  TooLarge: 'ERR_ENR_TOO_LARGE',
  /** Not an RLP list. */
  NotAList: 'ERR_ENR_NOT_A_LIST',
  /** Fewer than two list elements (signature and seq). */
  IncompleteList: 'ERR_ENR_INCOMPLETE_LIST',
  /** A key without a value. */
  IncompletePair: 'ERR_ENR_INCOMPLETE_PAIR',
  /** A key that is a list instead of a byte string. */
  InvalidKey: 'ERR_ENR_INVALID_KEY',
  UnsortedKeys: 'ERR_ENR_UNSORTED_KEYS',
  DuplicateKey: 'ERR_ENR_DUPLICATE_KEY',
  /** seq is not a canonical unsigned 64-bit integer, or would overflow. */
  InvalidSeq: 'ERR_ENR_INVALID_SEQ',
  /** Signature missing, of the wrong shape, or not valid for the record's key. */
  BadSignature: 'ERR_ENR_BAD_SIGNATURE',
  MissingId: 'ERR_ENR_MISSING_ID',
  /** Identity scheme other than "v4". */
  UnknownScheme: 'ERR_ENR_UNKNOWN_SCHEME',
  /** `secp256k1` missing, not 33 bytes, or not a point on the curve. */
  InvalidPublicKey: 'ERR_ENR_INVALID_PUBLIC_KEY',
  /** A predefined key (`ip`, `tcp`, ...) with a malformed value, or a reserved key set by hand. */
  InvalidValue: 'ERR_ENR_INVALID_VALUE',
  /** The text form lacks the `enr:` prefix (or a node URL is neither `enr:` nor `enode://`). */
  MissingPrefix: 'ERR_ENR_MISSING_PREFIX',
  /** Invalid URL-safe base64 (bad character, padding, impossible length, non-zero trailing bits). */
  InvalidBase64: 'ERR_ENR_INVALID_BASE64',
  /** A private key that does not belong to the record being updated. */
  KeyMismatch: 'ERR_ENR_KEY_MISMATCH',
  /** Malformed enode URL (structure, host). */
  EnodeInvalid: 'ERR_ENODE_INVALID',
  /** The enode user part is not 128 hex characters of a valid secp256k1 point. */
  EnodeInvalidPublicKey: 'ERR_ENODE_INVALID_PUBLIC_KEY',
  /** Port or `discport` is not a decimal number in [0, 65535]. */
  EnodeInvalidPort: 'ERR_ENODE_INVALID_PORT',
  /** A DNS name where an IP address is required (allowed only with `allowHostname`). */
  EnodeHostname: 'ERR_ENODE_HOSTNAME',
  /** A record without the IP address and TCP port an enode URL needs. */
  EnodeMissingAddress: 'ERR_ENODE_MISSING_ADDRESS',
} as const;
export type EnrErrorCode = (typeof EnrErrorCode)[keyof typeof EnrErrorCode];

type ErrorOptions = { cause?: unknown; details?: Record<string, unknown> };

/** Errors of the enr package: records, text forms and enode URLs. */
export class EnrError extends StatusTsError {
  constructor(code: EnrErrorCode | RlpErrorCode, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
    this.name = 'EnrError';
  }
}

/** Errors of the RLP codec. A subclass of EnrError, so `instanceof EnrError` covers both. */
export class RlpError extends EnrError {
  constructor(code: RlpErrorCode, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RlpError';
  }
}
