import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { fastNode } from './backend.js';
import { CryptoError, CryptoErrorCode } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';

const EMPTY = new Uint8Array(0);
const SHA256_LENGTH = 32;

// ---------------------------------------------------------------- SHA-256 and HMAC-SHA256

/** SHA-256 of the concatenation of `parts` (only where a spec names SHA-256: MVDS ids, HKDF, discv5). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const node = fastNode();
  return node ? sha256Node(node, parts) : sha256Noble(parts);
}

export function sha256Noble(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return nobleSha256(parts[0]!);
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sha256Node(node: NodeCrypto, parts: Uint8Array[]): Uint8Array {
  const h = node.createHash('sha256');
  for (const p of parts) h.update(p);
  return fromBuffer(h.digest());
}

/** HMAC-SHA256 of the concatenation of `parts` under `key`. */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const node = fastNode();
  return node ? hmacSha256Node(node, key, parts) : hmacSha256Noble(key, parts);
}

export function hmacSha256Noble(key: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const h = hmac.create(nobleSha256, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hmacSha256Node(node: NodeCrypto, key: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const h = node.createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return fromBuffer(h.digest());
}

// ---------------------------------------------------------------- HMAC-SHA512

/** HMAC-SHA512 of the concatenation of `parts` under `key` (secio's SHA512 suite). */
export function hmacSha512(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const node = fastNode();
  return node ? hmacSha512Node(node, key, parts) : hmacSha512Noble(key, parts);
}

export function hmacSha512Noble(key: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const h = hmac.create(nobleSha512, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hmacSha512Node(node: NodeCrypto, key: Uint8Array, parts: Uint8Array[]): Uint8Array {
  const h = node.createHmac('sha512', key);
  for (const p of parts) h.update(p);
  return fromBuffer(h.digest());
}

// ---------------------------------------------------------------- HKDF

/** RFC 5869 caps the output at 255 hash blocks. */
export const HKDF_SHA256_MAX_LENGTH = 255 * SHA256_LENGTH;
/** node:crypto refuses longer `info`; such calls run on noble. */
const NODE_HKDF_MAX_INFO = 1024;

/** HKDF-SHA256 (RFC 5869) with explicit salt (undefined = no salt), input keying material and info. */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array,
  length: number,
): Uint8Array {
  assertOutputLength(length, 1, HKDF_SHA256_MAX_LENGTH, 'HKDF output length');
  const node = fastNode();
  return node && info.length <= NODE_HKDF_MAX_INFO
    ? hkdfSha256Node(node, ikm, salt, info, length)
    : hkdfSha256Noble(ikm, salt, info, length);
}

export function hkdfSha256Noble(
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return nobleHkdf(nobleSha256, ikm, salt, info, length);
}

export function hkdfSha256Node(
  node: NodeCrypto,
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array,
  length: number,
): Uint8Array {
  // An absent salt is HashLen zero bytes (RFC 5869 2.2); HMAC pads keys with zeros, so empty is identical.
  return new Uint8Array(node.hkdfSync('sha256', ikm, salt ?? EMPTY, info, length));
}

// ---------------------------------------------------------------- PBKDF2

/** Upper bound on iterations accepted by pbkdf2Sha256 (a guard against accidental multi-minute calls). */
export const PBKDF2_MAX_ITERATIONS = 100_000_000;
/** Upper bound on the derived key length of pbkdf2Sha256 and scrypt. */
export const KDF_MAX_OUTPUT_LENGTH = 1 << 20;

/** PBKDF2-HMAC-SHA256 (RFC 8018). */
export function pbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  assertOutputLength(iterations, 1, PBKDF2_MAX_ITERATIONS, 'PBKDF2 iteration count');
  assertOutputLength(length, 1, KDF_MAX_OUTPUT_LENGTH, 'PBKDF2 output length');
  const node = fastNode();
  return node
    ? pbkdf2Sha256Node(node, password, salt, iterations, length)
    : pbkdf2Sha256Noble(password, salt, iterations, length);
}

export function pbkdf2Sha256Noble(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  return noblePbkdf2(nobleSha256, password, salt, { c: iterations, dkLen: length });
}

export function pbkdf2Sha256Node(
  node: NodeCrypto,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  return fromBuffer(node.pbkdf2Sync(password, salt, iterations, length, 'sha256'));
}

// ---------------------------------------------------------------- scrypt

export interface ScryptParams {
  /** CPU/memory cost, a power of two > 1. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  dkLen: number;
  /** Refuse parameters needing more memory than this many bytes; default SCRYPT_MAX_MEMORY (1 GiB). */
  maxMemory?: number;
}

/** Memory scrypt needs for (N, r, p), in bytes: the V array plus the p lanes. */
export function scryptMemory(N: number, r: number, p: number): number {
  return 128 * r * (N + p + 2);
}

/** Default ceiling on scrypt memory (1 GiB), also the noble implementation's own default. */
export const SCRYPT_MAX_MEMORY = 1 << 30;

function assertScryptParams(params: ScryptParams): void {
  const { N, r, p } = params;
  const valid =
    Number.isSafeInteger(N) &&
    N > 1 &&
    Number.isInteger(Math.log2(N)) &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    r * p < 2 ** 30;
  if (!valid) {
    throw new CryptoError(
      CryptoErrorCode.InvalidArgument,
      'scrypt needs N a power of two > 1, r >= 1, p >= 1',
      {
        details: { N, r, p },
      },
    );
  }
  assertOutputLength(params.dkLen, 1, KDF_MAX_OUTPUT_LENGTH, 'scrypt output length');
  const memory = scryptMemory(N, r, p);
  const limit = params.maxMemory ?? SCRYPT_MAX_MEMORY;
  if (memory > limit) {
    throw new CryptoError(CryptoErrorCode.InvalidArgument, `scrypt would need ${memory} bytes of memory`, {
      details: { N, r, p, memory, limit },
    });
  }
}

/** scrypt (RFC 7914). Throws ERR_CRYPTO_INVALID_ARGUMENT for bad parameters or too much memory (`maxMemory`). */
export function scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array {
  assertScryptParams(params);
  const node = fastNode();
  return node && opensslAcceptsScrypt(params)
    ? scryptNode(node, password, salt, params)
    : scryptNoble(password, salt, params);
}

/**
 * OpenSSL enforces RFC 7914's N < 2^(128 * r / 8); go-ethereum and noble do not, and real keystores break
 * it (the Web3 Secret Storage example has N = 2^18 with r = 1), so those run on noble.
 */
function opensslAcceptsScrypt({ N, r }: ScryptParams): boolean {
  return 16 * r >= 53 || N < 2 ** (16 * r);
}

export function scryptNoble(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array {
  const { N, r, p, dkLen } = params;
  return nobleScrypt(password, salt, { N, r, p, dkLen, maxmem: scryptMemory(N, r, p) + 1024 * 1024 });
}

export function scryptNode(
  node: NodeCrypto,
  password: Uint8Array,
  salt: Uint8Array,
  params: ScryptParams,
): Uint8Array {
  const { N, r, p, dkLen } = params;
  return fromBuffer(node.scryptSync(password, salt, dkLen, { N, r, p, maxmem: 2 * scryptMemory(N, r, p) }));
}

// ---------------------------------------------------------------- NIST SP 800-56 concat KDF

/** Largest output of the concat KDF: the 32-bit counter must not wrap. */
export const CONCAT_KDF_MAX_LENGTH = 2 ** 32 - 1;

/**
 * NIST SP 800-56A single-step (concatenation) KDF with SHA-256, as go-ethereum `crypto/ecies` uses it:
 * `K = SHA256(counter_be32 || secret || otherInfo)` for counter = 1, 2, ..., truncated to `length`.
 */
export function concatKdfSha256(
  secret: Uint8Array,
  length: number,
  otherInfo: Uint8Array = EMPTY,
): Uint8Array {
  assertOutputLength(length, 0, CONCAT_KDF_MAX_LENGTH, 'concat KDF output length');
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  const view = new DataView(counter.buffer);
  for (let offset = 0, i = 1; offset < length; offset += SHA256_LENGTH, i++) {
    view.setUint32(0, i);
    const block = sha256(counter, secret, otherInfo);
    out.set(block.subarray(0, Math.min(SHA256_LENGTH, length - offset)), offset);
  }
  return out;
}

function assertOutputLength(value: number, min: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CryptoError(CryptoErrorCode.InvalidArgument, `${what} must be an integer in [${min}, ${max}]`, {
      details: { value, min, max },
    });
  }
}
