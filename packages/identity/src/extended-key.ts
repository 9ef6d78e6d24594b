import { base58 } from '@scure/base';
import { HDKey } from '@scure/bip32';
import { concatBytes, equalBytes } from '@status-ts/core';
import { sha256 } from '@status-ts/crypto';
import { IdentityError, IdentityErrorCode } from './errors.js';

/** BIP32 mainnet version bytes: `xprv` (private) and `xpub` (public), what Status and wallets exchange. */
export const EXTENDED_KEY_VERSIONS = { private: 0x0488ade4, public: 0x0488b21e } as const;
/**
 * Longest extended-key text looked at. Every mainnet key is 111 characters; the slack keeps a near-miss
 * reported for what is wrong with it, while Base58 decoding (quadratic in length) stays bounded.
 */
export const MAX_EXTENDED_KEY_TEXT_LENGTH = 128;

/** version(4) depth(1) parent fingerprint(4) child number(4) chain code(32) key(33). */
const PAYLOAD_LENGTH = 78;
const CHECKSUM_LENGTH = 4;

export type ExtendedKeyKind = 'private' | 'public';

export interface ParseExtendedKeyOptions {
  /** Overrides MAX_EXTENDED_KEY_TEXT_LENGTH (a positive integer). */
  maxLength?: number;
}

/** Why a key was refused, in `details.reason` of the `ERR_IDENTITY_INVALID_EXTENDED_KEY` error. */
export type ExtendedKeyRejection =
  | 'not-a-string'
  | 'too-long'
  | 'max-length-option'
  | 'encoding'
  | 'checksum'
  | 'length'
  | 'version'
  | 'version-mismatch'
  | 'key-prefix'
  | 'parent-fingerprint'
  | 'child-number'
  | 'private-key'
  | 'public-key'
  | 'no-private-key';

function reject(
  reason: ExtendedKeyRejection,
  message: string,
  extra: { cause?: unknown; details?: Record<string, unknown> } = {},
): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidExtendedKey, message, {
    cause: extra.cause,
    details: { reason, ...extra.details },
  });
}

const checksumOf = (payload: Uint8Array): Uint8Array => sha256(sha256(payload)).subarray(0, CHECKSUM_LENGTH);

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** Serializes `node` as an `xprv` (needs its private key) or `xpub` (BIP32 "Serialization format"). */
export function toExtendedKey(node: HDKey, kind: ExtendedKeyKind): string {
  const chainCode = node.chainCode;
  const publicKey = node.publicKey;
  if (chainCode === null || publicKey === null) {
    throw reject('public-key', 'node has no chain code or public key');
  }
  let key: Uint8Array;
  if (kind === 'private') {
    const privateKey = node.privateKey;
    if (privateKey === null) {
      throw reject('no-private-key', 'node has no private key (parsed from an xpub)');
    }
    key = concatBytes(Uint8Array.of(0), privateKey);
  } else {
    key = publicKey; // HDKey keeps the 33-byte compressed form BIP32 serializes.
  }
  const payload = concatBytes(
    u32(EXTENDED_KEY_VERSIONS[kind]),
    Uint8Array.of(node.depth),
    u32(node.parentFingerprint),
    u32(node.index),
    chainCode,
    key,
  );
  return base58.encode(concatBytes(payload, checksumOf(payload)));
}

function decodeBase58Check(text: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = base58.decode(text);
  } catch (cause) {
    throw reject('encoding', 'extended key is not Base58 text', { cause });
  }
  // Check the length first: a short string has no room for a payload and a checksum.
  if (raw.length !== PAYLOAD_LENGTH + CHECKSUM_LENGTH) {
    throw reject('length', `extended key must be ${PAYLOAD_LENGTH} bytes`, {
      details: { length: Math.max(0, raw.length - CHECKSUM_LENGTH) },
    });
  }
  const payload = raw.subarray(0, PAYLOAD_LENGTH);
  if (!equalBytes(checksumOf(payload), raw.subarray(PAYLOAD_LENGTH))) {
    throw reject('checksum', 'extended key checksum does not match');
  }
  return payload;
}

/**
 * Parses an `xprv` or `xpub` into a node for `derivePath` (from depth 0), `HDKey#deriveChild` and `keyPairOf`.
 * A node parsed from an `xpub` holds the public key only: it derives non-hardened children.
 */
export function parseExtendedKey(text: string, options: ParseExtendedKeyOptions = {}): HDKey {
  const max = options.maxLength ?? MAX_EXTENDED_KEY_TEXT_LENGTH;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw reject('max-length-option', 'maxLength must be a positive integer', {
      details: { maxLength: max },
    });
  }
  if (typeof text !== 'string') throw reject('not-a-string', 'extended key must be a string');
  if (text.length > max) {
    throw reject('too-long', `extended key text longer than ${max} characters`, {
      details: { length: text.length },
    });
  }
  const payload = decodeBase58Check(text);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const version = view.getUint32(0, false);
  const depth = payload[4] as number;
  const parentFingerprint = view.getUint32(5, false);
  const index = view.getUint32(9, false);
  const chainCode = payload.slice(13, 45);
  const key = payload.slice(45);
  const prefix = key[0] as number;

  let kind: ExtendedKeyKind;
  if (version === EXTENDED_KEY_VERSIONS.private) kind = 'private';
  else if (version === EXTENDED_KEY_VERSIONS.public) kind = 'public';
  else {
    throw reject('version', 'unknown extended key version', {
      details: { version: `0x${version.toString(16).padStart(8, '0')}` },
    });
  }
  const looksPrivate = prefix === 0;
  const looksPublic = prefix === 2 || prefix === 3;
  if ((kind === 'private' && looksPublic) || (kind === 'public' && looksPrivate)) {
    throw reject(
      'version-mismatch',
      `${kind} version bytes with a ${looksPrivate ? 'private' : 'public'} key`,
    );
  }
  if ((kind === 'private' && !looksPrivate) || (kind === 'public' && !looksPublic)) {
    throw reject('key-prefix', `invalid ${kind} key prefix`, { details: { prefix } });
  }
  // A master node (depth 0) has no parent: BIP32 fixes both fields to zero.
  if (depth === 0 && parentFingerprint !== 0) {
    throw reject('parent-fingerprint', 'depth 0 with a non-zero parent fingerprint');
  }
  if (depth === 0 && index !== 0) throw reject('child-number', 'depth 0 with a non-zero child number');

  try {
    // HDKey checks the private key is in 1..n-1 and the public key is a curve point.
    return new HDKey({
      depth,
      parentFingerprint,
      index,
      chainCode,
      ...(kind === 'private' ? { privateKey: key.subarray(1) } : { publicKey: key }),
    });
  } catch (cause) {
    throw reject(
      kind === 'private' ? 'private-key' : 'public-key',
      kind === 'private' ? 'private key is not in 1..n-1' : 'public key is not a secp256k1 point',
      { cause },
    );
  }
}
